// Import + init cost over a bare `node` start, ours against @sentry/node, as wall time of
// whole processes (median of alternating runs).
import { alternate, childScript, emit, median, prepare, range, round, runNode, startIngest } from './lib/harness.mjs';

const { ours, sentry } = prepare();
const ingest = await startIngest('ok');
const bare = childScript('startup-bare', '');
const oursScript = childScript('startup-ours', `require(${JSON.stringify(ours)}).initPixel({ projectKey: 'pk_test_bench', ingestUrl: process.env.INGEST });\n`);
const peerScript = sentry && childScript('startup-peer', `require(${JSON.stringify(sentry)}).init({ dsn: process.env.DSN });\n`);
const env = { INGEST: ingest.ingestUrl, DSN: ingest.dsn };

const time = (script) => async () => {
  const result = await runNode([script], env);
  if (result.code !== 0) throw new Error(`${script} exited ${result.code}: ${result.stderr}`);
  return result.ms;
};
const runs = 11;
const t = await alternate({ bare: time(bare), ours: time(oursScript), ...(peerScript ? { peer: time(peerScript) } : {}) }, runs);
await ingest.close();

const bareMs = median(t.bare);
const oursOver = median(t.ours) - bareMs;
const peerOver = t.peer ? median(t.peer) - bareMs : null;
const ratio = peerOver ? oursOver / peerOver : null;
emit([
  {
    what: 'import + initPixel, over bare node',
    ours: round(oursOver),
    peer: round(peerOver),
    peer_name: peerOver == null ? null : '@sentry/node import + init',
    unit: 'ms',
    ratio: round(ratio, 3),
    target: '≤ 1/10 of peer, < 10 ms',
    met: oursOver < 10 && (ratio == null || ratio <= 0.1),
    note: `medians of ${runs} alternating process runs; bare node ${round(bareMs)} ms (${range(t.bare, 0, ' ms')}), ours ${range(t.ours, 0, ' ms')}${t.peer ? `, peer ${range(t.peer, 0, ' ms')}` : ', peer not installed'}`,
  },
]);
