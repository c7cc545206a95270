// Memory with the ingest down: 100,000 reports (distinct errors) while every delivery fails.
// The queue is bounded (maxQueue 100, the rest dropped and counted), so growth must stay flat.
import { childScript, emit, median, prepare, range, round, runNode } from './lib/harness.mjs';
import { createServer } from 'node:net';

const { ours, sentry } = prepare();
// A port with nothing listening: every connection is refused.
const probe = createServer();
await new Promise((r) => probe.listen(0, '127.0.0.1', r));
const port = probe.address().port;
await new Promise((r) => probe.close(r));

const body = (setup, report, stats) => `${setup}
const REPORTS = 100000;
const mb = () => { global.gc(); global.gc(); const m = process.memoryUsage(); return { heap: m.heapUsed / 2 ** 20, rss: m.rss / 2 ** 20 }; };
(async () => {
  for (let i = 0; i < 2000; i++) { ${report.replace('ERROR', "new Error('warm-up ' + i)")}; }
  await new Promise((r) => setTimeout(r, 500));
  const before = mb();
  for (let i = 0; i < REPORTS; i++) {
    ${report.replace('ERROR', "new Error('report ' + i)")};
    if (i % 1000 === 999) await new Promise((r) => setImmediate(r));
  }
  await new Promise((r) => setTimeout(r, 1000));
  const after = mb();
  console.log(JSON.stringify({ heap: after.heap - before.heap, rss: after.rss - before.rss, stats: ${stats} }));
  process.exit(0);
})();
`;
const oursScript = childScript(
  'memory-ours',
  body(`const pixel = require(${JSON.stringify(ours)});
pixel.initPixel({ projectKey: 'pk_test_bench', ingestUrl: 'http://127.0.0.1:${port}/ingest' });`, "pixel.reportPixel('down', { error: ERROR })", 'pixel.getPixelStats()'),
);
const peerScript =
  sentry &&
  childScript('memory-peer', body(`const Sentry = require(${JSON.stringify(sentry)});
Sentry.init({ dsn: 'http://0123456789abcdef0123456789abcdef@127.0.0.1:${port}/1' });`, 'Sentry.captureException(ERROR)', 'null'));

const runs = 3;
const ours3 = [];
const peer3 = [];
for (let i = 0; i < runs; i++) {
  for (const [script, into] of [[oursScript, ours3], [peerScript, peer3]]) {
    if (!script) continue;
    const result = await runNode(['--expose-gc', script]);
    if (result.code !== 0) throw new Error(`${script}: ${result.stderr}`);
    into.push(JSON.parse(result.stdout.trim().split('\n').at(-1)));
  }
}
const growth = median(ours3.map((r) => Math.max(r.heap, r.rss)));
const peerGrowth = peer3.length ? median(peer3.map((r) => Math.max(r.heap, r.rss))) : null;
const last = ours3.at(-1).stats;
emit([
  {
    what: 'memory growth over 100,000 reports, ingest down',
    ours: round(growth),
    peer: round(peerGrowth),
    peer_name: peerGrowth == null ? null : '@sentry/node',
    unit: 'MB',
    ratio: peerGrowth ? round(growth / peerGrowth, 3) : null,
    target: '≤ 20 MB',
    met: growth <= 20,
    note: `larger of heap and RSS growth after GC, median of ${runs} processes (ours heap ${range(ours3.map((r) => r.heap), 1, ' MB')}, rss ${range(ours3.map((r) => r.rss), 1, ' MB')}); queue stats at the end: ${JSON.stringify(last)}`,
  },
]);
