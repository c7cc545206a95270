// Sustained delivery to a local ingest (127.0.0.1, answers 200): events per second actually
// received by the server, ours against @sentry/node pointed at the same server by a DSN.
// Each SDK keeps its queue fed in batches sized to its own buffer and flushes between them.
import { alternate, childScript, emit, median, prepare, range, round, runNode, startIngest } from './lib/harness.mjs';

const { ours, sentry } = prepare();
const ingest = await startIngest('ok');
const EVENTS = 3000;

const body = (setup, batch, report, flush) => `${setup}
(async () => {
  const start = Date.now();
  let sent = 0;
  while (sent < ${EVENTS}) {
    for (let i = 0; i < ${batch}; i++, sent++) ${report};
    await ${flush};
  }
  console.log(JSON.stringify({ ms: Date.now() - start, sent }));
  process.exit(0);
})();
`;
const oursScript = childScript(
  'throughput-ours',
  body(`const pixel = require(${JSON.stringify(ours)});
pixel.initPixel({ projectKey: 'pk_test_bench', ingestUrl: process.env.INGEST, maxQueue: 100 });`, 100, "pixel.reportPixel('event ' + sent)", 'pixel.flushPixel(30000)'),
);
// Sentry's transport buffers at most 64 requests; batches of 60 stay under it.
const peerScript =
  sentry &&
  childScript('throughput-peer', body(`const Sentry = require(${JSON.stringify(sentry)});
Sentry.init({ dsn: process.env.DSN });`, 60, "Sentry.captureMessage('event ' + sent)", 'Sentry.flush(30000)'));

const sample = (script) => async () => {
  const before = ingest.state.received;
  const result = await runNode([script], { INGEST: ingest.ingestUrl, DSN: ingest.dsn });
  if (result.code !== 0) throw new Error(`${script}: ${result.stderr}`);
  const { ms } = JSON.parse(result.stdout.trim().split('\n').at(-1));
  return { rate: ((ingest.state.received - before) / ms) * 1000, received: ingest.state.received - before };
};
const runs = 7;
const r = await alternate({ ours: sample(oursScript), ...(peerScript ? { peer: sample(peerScript) } : {}) }, runs);
await ingest.close();

const oursRate = median(r.ours.map((x) => x.rate));
const peerRate = r.peer ? median(r.peer.map((x) => x.rate)) : null;
emit([
  {
    what: 'sustained delivery to a local ingest',
    ours: round(oursRate, 0),
    peer: round(peerRate, 0),
    peer_name: peerRate == null ? null : '@sentry/node (DSN to 127.0.0.1)',
    unit: 'events/s',
    ratio: peerRate ? round(oursRate / peerRate, 3) : null,
    target: '≥ peer',
    met: peerRate == null || oursRate >= peerRate,
    note: `${EVENTS} events per process, counted at the server; median of ${runs} alternating runs; spread ours ${range(r.ours.map((x) => x.rate), 0, '/s')}${r.peer ? `, peer ${range(r.peer.map((x) => x.rate), 0, '/s')}` : ', peer not installed'}; received per run ours ${r.ours[0].received}${r.peer ? `, peer ${r.peer[0].received}` : ''}`,
  },
]);
