// What one report costs the calling code: reportPixel(msg, { error }) against
// Sentry.captureException(error), each on a distinct error thrown 10 frames deep, timed on the
// caller's thread in batches (ours defers stack parsing to a microtask; the note also gives
// the cost including that deferred work). Each SDK runs in its own process.
import { alternate, childScript, emit, median, prepare, range, round, runNode, startIngest } from './lib/harness.mjs';

const { ours, sentry } = prepare();
const ingest = await startIngest('ok');

const body = (setup, report) => `${setup}
function deep(n) { if (n === 0) throw new Error('boom at depth 10'); return deep(n - 1); }
function make() { try { deep(9); } catch (e) { return e; } }
const BATCH = 200, BATCHES = 25;
(async () => {
  const sync = [], total = [];
  for (let b = 0; b < BATCHES + 5; b++) {
    const errors = Array.from({ length: BATCH }, make);
    const t0 = process.hrtime.bigint();
    for (const error of errors) ${report};
    const t1 = process.hrtime.bigint();
    await new Promise((r) => setImmediate(r));
    const t2 = process.hrtime.bigint();
    if (b >= 5) { sync.push(Number(t1 - t0) / 1e3 / BATCH); total.push(Number(t2 - t0) / 1e3 / BATCH); }
    await new Promise((r) => setTimeout(r, 20));
  }
  const med = (v) => v.sort((a, b) => a - b)[v.length >> 1];
  console.log(JSON.stringify({ sync: med(sync), total: med(total) }));
  process.exit(0);
})();
`;
const oursScript = childScript(
  'report-ours',
  body(`const pixel = require(${JSON.stringify(ours)});
pixel.initPixel({ projectKey: 'pk_test_bench', ingestUrl: process.env.INGEST, maxQueue: 100000 });`, "pixel.reportPixel('failed', { error })"),
);
const peerScript =
  sentry &&
  childScript('report-peer', body(`const Sentry = require(${JSON.stringify(sentry)});
Sentry.init({ dsn: process.env.DSN });`, 'Sentry.captureException(error)'));

const sample = (script) => async () => {
  const result = await runNode([script], { INGEST: ingest.ingestUrl, DSN: ingest.dsn });
  if (result.code !== 0) throw new Error(`${script}: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1));
};
const runs = 7;
const r = await alternate({ ours: sample(oursScript), ...(peerScript ? { peer: sample(peerScript) } : {}) }, runs);
await ingest.close();

const oursSync = r.ours.map((x) => x.sync);
const oursTotal = r.ours.map((x) => x.total);
const peerSync = r.peer?.map((x) => x.sync);
const ratio = peerSync ? median(oursSync) / median(peerSync) : null;
emit([
  {
    what: 'reportPixel(msg, { error }) on a 10-deep error, caller thread',
    ours: round(median(oursSync), 2),
    peer: peerSync ? round(median(peerSync), 2) : null,
    peer_name: peerSync ? 'Sentry.captureException' : null,
    unit: 'µs',
    ratio: round(ratio, 3),
    target: '≤ 1/2 of peer, < 10 µs',
    met: median(oursSync) < 10 && (ratio == null || ratio <= 0.5),
    note: `median over ${runs} alternating processes of per-call medians (batches of 200 distinct errors); spread ours ${range(oursSync, 2, ' µs')}${peerSync ? `, peer ${range(peerSync, 2, ' µs')}` : ', peer not installed'}; ours including the deferred parse and build: ${round(median(oursTotal), 1)} µs${r.peer ? `, peer including its deferred work: ${round(median(r.peer.map((x) => x.total)), 1)} µs` : ''}`,
  },
]);
