// Shared by bench/browser/*.mjs: the three SDKs as browser bundles, built here with esbuild from
// a small entry that uses each the way an app would (init, plus a report call), so tree-shaking
// keeps what a real page ships. ez-pixel is its published ES module (dist/index.js, as an app's
// bundler gets it from npm), built first when missing. (bench/run.mjs runs the .mjs files of this
// folder except lib.mjs.)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const bench = `${root}bench/`;
const { buildSync } = createRequire(`${root}package.json`)('esbuild');

export const SDKS = {
  'ez-pixel': {
    entry: `import { initPixel, reportPixel } from ${JSON.stringify(`${root}runtimes/browser/dist/index.js`)};
window.sdk = { init: (url) => initPixel({ projectKey: 'pk_test_bench', ingestUrl: url, maxEventsPerMinute: 1e9 }), report: (e) => reportPixel('x', { error: e }) };`,
  },
  '@sentry/browser': {
    entry: `import { init, captureException } from '@sentry/browser';
window.sdk = { init: (url) => init({ dsn: url.replace('http://', 'http://key@') + '/1' }), report: (e) => captureException(e) };`,
  },
  '@bugsnag/js': {
    entry: `import Bugsnag from '@bugsnag/js';
window.sdk = { init: (url) => Bugsnag.start({ apiKey: '0123456789abcdef0123456789abcdef', endpoints: { notify: url, sessions: url }, autoTrackSessions: false, maxEvents: 100, logger: null }), report: (e) => Bugsnag.notify(e) };`,
  },
};

export function preparePeers() {
  if (!existsSync(`${root}runtimes/browser/dist/index.js`)) spawnSync(process.execPath, [`${root}runtimes/browser/scripts/build.mjs`], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (!existsSync(`${bench}node_modules/@sentry/browser`)) spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: bench, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** The minified IIFE of one SDK's entry (resolving packages from bench/node_modules). */
export function bundle(name) {
  const result = buildSync({
    stdin: { contents: SDKS[name].entry, resolveDir: bench, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    write: false,
    logLevel: 'error',
  });
  return result.outputFiles[0].text;
}
