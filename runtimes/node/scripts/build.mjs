// `npm run build`: compiles src/ twice, to dist/esm (ES modules) and dist/cjs (CommonJS), each
// with its .d.ts files. dist/cjs gets its own package.json so Node loads it as CommonJS even
// though this package is "type": "module". Works offline.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

rmSync(`${root}dist`, { recursive: true, force: true });
for (const project of ['tsconfig.json', 'tsconfig.cjs.json']) {
  const result = spawnSync(process.execPath, [tsc, '-p', `${root}${project}`], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
writeFileSync(`${root}dist/cjs/package.json`, '{ "type": "commonjs" }\n');
