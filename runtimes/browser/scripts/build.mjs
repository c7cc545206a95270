// `npm run build`: dist/index.js (ES module) and dist/ez-pixel.iife.js (a `<script>` tag's
// global `ezPixel`), both minified with esbuild for ES2020 browsers, and the declarations with tsc.
// Internal property names end in `_` (`sender.send_`), so the build may shorten them: no public
// option, stat or wire-format field does.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const { buildSync } = require('esbuild');
const { version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));

rmSync(`${root}dist`, { recursive: true, force: true });
const common = { entryPoints: [`${root}src/index.ts`], bundle: true, minify: true, target: 'es2020', define: { __VERSION__: JSON.stringify(version) }, mangleProps: /_$/, logLevel: 'warning' };
buildSync({ ...common, outfile: `${root}dist/index.js`, format: 'esm' });
buildSync({ ...common, outfile: `${root}dist/ez-pixel.iife.js`, format: 'iife', globalName: 'ezPixel' });

const tsc = require.resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', `${root}tsconfig.json`, '--declaration', '--emitDeclarationOnly', '--outDir', `${root}dist`], { stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
