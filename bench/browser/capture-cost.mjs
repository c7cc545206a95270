// What reporting an error costs the page, in headless Chromium: each SDK (bundled as in size.mjs)
// reports 100 errors thrown from 100 different lines (so ez-pixel's same-error window drops none),
// and the page measures, with performance.now(), the time from the first report until the next
// macrotask (Sentry and Bugsnag finish their processing in promise chains). Every SDK sends to
// one loopback server that answers 200 to anything. Medians of alternating fresh pages.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { emit, median, range, round } from '../node/lib/harness.mjs';
import { bundle, preparePeers, root, SDKS } from './lib.mjs';

const { chromium } = createRequire(`${root}package.json`)('playwright-core');
preparePeers();
// Bugsnag sends at most 100 events a page (its maxEvents ceiling), so each page reports 100.
const ERRORS = 100;
const RUNS = 9;

const sites = Object.fromEntries(Object.keys(SDKS).map((name) => [name, bundle(name)]));
const throwers = Array.from({ length: ERRORS }, (_, i) => `function t${i}() { throw new Error('e${i}'); }`).join('\n');
const server = createServer((req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  const name = decodeURIComponent(path.slice(1));
  if (req.method === 'GET' && sites[name]) {
    res.writeHead(200, { 'content-type': 'text/html' });
    return void res.end(`<!doctype html><script>${sites[name]}</script><script>${throwers}</script>`);
  }
  req.resume();
  req.on('end', () => res.writeHead(200, { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'content-type': 'application/json' }).end('{}'));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({ executablePath: process.env.EZ_PIXEL_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
async function measure(name) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${origin}/${encodeURIComponent(name)}`);
  const ms = await page.evaluate(async ({ url, count }) => {
    window.sdk.init(url);
    const errors = [];
    for (let i = 0; i < count; i++) try { window[`t${i}`](); } catch (error) { errors.push(error); }
    const start = performance.now();
    for (const error of errors) window.sdk.report(error);
    await new Promise((resolve) => setTimeout(resolve, 0));
    return performance.now() - start;
  }, { url: `${origin}/ingest`, count: ERRORS });
  await context.close();
  return (ms * 1000) / ERRORS;
}

const results = Object.fromEntries(Object.keys(SDKS).map((name) => [name, []]));
for (const name of Object.keys(SDKS)) await measure(name);
for (let run = 0; run < RUNS; run++) for (const name of Object.keys(SDKS)) results[name].push(await measure(name));
await browser.close();
server.close();

const ours = median(results['ez-pixel']);
emit(
  ['@sentry/browser', '@bugsnag/js'].map((peer) => {
    const theirs = median(results[peer]);
    return {
      what: `browser capture cost per error, in Chromium (beside ${peer})`,
      ours: round(ours, 1),
      peer: round(theirs, 1),
      peer_name: peer,
      unit: 'µs',
      ratio: round(ours / theirs, 2),
      target: `≤ ${peer}`,
      met: ours <= theirs,
      note: `${ERRORS} errors from ${ERRORS} lines a page, median of ${RUNS} pages (ez-pixel ${range(results['ez-pixel'], 1, ' µs')}, ${peer} ${range(results[peer], 1, ' µs')})`,
    };
  }),
);
