// `npm run build`: bundles src/ into one file per module system, dist/esm/index.js (ES module)
// and dist/cjs/index.js (CommonJS), with esbuild, and writes the .d.ts files for both with
// tsc. One file instead of twenty roughly halves the SDK's import time. dist/cjs gets its own
// package.json so Node loads it as CommonJS although this package is "type": "module".
// Works offline.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const { buildSync } = require('esbuild');

function run(argv) {
  const result = spawnSync(process.execPath, argv, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

rmSync(`${root}dist`, { recursive: true, force: true });
// Typecheck everything and write the declarations.
for (const outDir of ['dist/esm', 'dist/cjs']) run([tsc, '-p', `${root}tsconfig.json`, '--emitDeclarationOnly', '--outDir', `${root}${outDir}`]);
for (const [format, outfile] of [['esm', 'dist/esm/index.js'], ['cjs', 'dist/cjs/index.js']]) {
  buildSync({ entryPoints: [`${root}src/index.ts`], outfile: `${root}${outfile}`, bundle: true, platform: 'node', target: 'node20', format, logLevel: 'warning' });
}
writeFileSync(`${root}dist/cjs/package.json`, '{ "type": "commonjs" }\n');
