// `npm run build`: bundles the CLI into dist/ (scripts/bundle-cli.mjs), pre-renders its help
// (scripts/render-help.mjs), and builds the two SDK artifacts the CLI bundles into artifacts/: the
// Python wheel and the @ez-pixel/node and @ez-pixel/browser tarballs. Needs no network. Type-checking is `npm run typecheck`.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleCli } from './bundle-cli.mjs';
import { renderHelp } from './render-help.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const python = process.env.EZ_PIXEL_PYTHON ?? 'python3';

function step(title, argv, cwd = root) {
  process.stderr.write(`build: ${title}\n`);
  const result = spawnSync(argv[0], argv.slice(1), { cwd, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`build: "${argv.join(' ')}" failed (exit ${result.status ?? result.signal})\n`);
    process.exit(1);
  }
}

// Build into fresh folders and swap them in at the end, so tests running meanwhile never see a
// half-built dist/ or artifacts/.
const staging = { dist: `${root}dist.building-${process.pid}`, artifacts: `${root}artifacts.building-${process.pid}` };
mkdirSync(staging.artifacts, { recursive: true });
process.on('exit', () => Object.values(staging).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

process.stderr.write('build: CLI (esbuild)\n');
await bundleCli({ outdir: staging.dist });
// The SQLite store's worker thread is plain JavaScript that src/ and dist/ run alike; the bundle
// loads it where tsc would have put it (bundle-cli.mjs, keepModuleUrls).
mkdirSync(`${staging.dist}/ingest`, { recursive: true });
cpSync(`${root}src/ingest/sqlite-worker.mjs`, `${staging.dist}/ingest/sqlite-worker.mjs`);
process.stderr.write('build: dashboard (copied as is: plain HTML, JS and CSS)\n');
cpSync(`${root}src/dashboard`, `${staging.dist}/dashboard`, { recursive: true });
process.stderr.write('build: CLI help (pre-rendered)\n');
await renderHelp(staging.dist);
step('@ez-pixel/node (tsc)', ['npm', 'run', '--silent', 'build'], `${root}runtimes/node`);
step('@ez-pixel/node (npm pack)', ['npm', 'pack', '--silent', '--pack-destination', staging.artifacts], `${root}runtimes/node`);
step('@ez-pixel/browser (esbuild)', ['npm', 'run', '--silent', 'build'], `${root}runtimes/browser`);
step('@ez-pixel/browser (npm pack)', ['npm', 'pack', '--silent', '--pack-destination', staging.artifacts], `${root}runtimes/browser`);
// A static site gets the IIFE itself (no package manager there): it ships beside the tarballs.
const browserVersion = JSON.parse(readFileSync(`${root}runtimes/browser/package.json`, 'utf8')).version;
cpSync(`${root}runtimes/browser/dist/ez-pixel.iife.js`, `${staging.artifacts}/ez-pixel-browser-${browserVersion}.min.js`);
step('ez-pixel wheel', [python, `${root}runtimes/python/build_wheel.py`, staging.artifacts]);

for (const name of ['dist', 'artifacts']) {
  rmSync(`${root}${name}`, { recursive: true, force: true });
  renameSync(staging[name], `${root}${name}`);
}
process.stderr.write(`build: artifacts: ${readdirSync(`${root}artifacts`).join(', ')}\n`);
