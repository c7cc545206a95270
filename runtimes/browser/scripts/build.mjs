// `npm run build`: dist/index.js (ES module) and dist/ez-pixel.iife.js (a `<script>` tag's
// global `ezPixel`), both minified with esbuild for ES2020 browsers, and the declarations with
// tsc. The SDK shares the Node SDK's scrubber source (spec/scrubbing.md), which esbuild bundles in.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const { buildSync } = require('esbuild');
const { version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));

rmSync(`${root}dist`, { recursive: true, force: true });
const common = { entryPoints: [`${root}src/index.ts`], bundle: true, minify: true, target: 'es2020', define: { __VERSION__: JSON.stringify(version) }, logLevel: 'warning' };
buildSync({ ...common, outfile: `${root}dist/index.js`, format: 'esm' });
buildSync({ ...common, outfile: `${root}dist/ez-pixel.iife.js`, format: 'iife', globalName: 'ezPixel' });

// tsc writes the declarations under the common root of src/ and ../node/src/scrub.ts; the
// public ones are this package's own.
const tsc = require.resolve('typescript/bin/tsc');
const types = `${root}dist/types`;
const result = spawnSync(process.execPath, [tsc, '-p', `${root}tsconfig.json`, '--declaration', '--emitDeclarationOnly', '--outDir', types], { stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
for (const file of readdirSync(`${types}/browser/src`)) renameSync(`${types}/browser/src/${file}`, `${root}dist/${file}`);
rmSync(types, { recursive: true, force: true });
