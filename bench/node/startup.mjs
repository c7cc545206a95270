// Import + init cost, ours against @sentry/node. Two figures from the same alternating runs:
// the cost measured inside each child (hrtime from before `require` to after init, plus the
// child's remaining time until its `exit` event, minus the same for a bare script), which the
// machine's noise barely touches, and the whole-process wall time over a bare `node` start.
import { alternate, childScript, emit, median, prepare, range, round, runNode, startIngest } from './lib/harness.mjs';

const { ours, sentry } = prepare();
const ingest = await startIngest('ok');
const child = (load) => `const t0 = process.hrtime.bigint();
${load}
const t1 = process.hrtime.bigint();
process.on('exit', () => console.log(JSON.stringify({ init: Number(t1 - t0) / 1e6, tail: Number(process.hrtime.bigint() - t1) / 1e6 })));
`;
const bare = childScript('startup-bare', child(''));
const oursScript = childScript('startup-ours', child(`require(${JSON.stringify(ours)}).initPixel({ projectKey: 'pk_test_bench', ingestUrl: process.env.INGEST });`));
const peerScript = sentry && childScript('startup-peer', child(`require(${JSON.stringify(sentry)}).init({ dsn: process.env.DSN });`));
const env = { INGEST: ingest.ingestUrl, DSN: ingest.dsn };

const sample = (script) => async () => {
  const result = await runNode([script], env);
  if (result.code !== 0) throw new Error(`${script} exited ${result.code}: ${result.stderr}`);
  const inside = JSON.parse(result.stdout.trim().split('\n').at(-1));
  return { wall: result.ms, inside: inside.init + inside.tail };
};
const runs = 15;
const t = await alternate({ bare: sample(bare), ours: sample(oursScript), ...(peerScript ? { peer: sample(peerScript) } : {}) }, runs);
await ingest.close();

const cost = (name) => t[name].map((r) => r.inside);
const wall = (name) => t[name].map((r) => r.wall);
const bareInside = median(cost('bare'));
const oursCost = median(cost('ours')) - bareInside;
const peerCost = t.peer ? median(cost('peer')) - bareInside : null;
const ratio = peerCost ? oursCost / peerCost : null;
const overBare = (name) => round(median(wall(name)) - median(wall('bare')));
emit([
  {
    what: 'import + initPixel, over a bare script',
    ours: round(oursCost, 2),
    peer: round(peerCost, 1),
    peer_name: peerCost == null ? null : '@sentry/node import + init',
    unit: 'ms',
    ratio: round(ratio, 4),
    target: '≤ 1/10 of peer, < 10 ms',
    met: oursCost < 10 && (ratio == null || ratio <= 0.1),
    note: `measured inside each child (require to exit event), medians of ${runs} alternating runs, spread ours ${range(cost('ours'), 1, ' ms')}${t.peer ? `, peer ${range(cost('peer'), 0, ' ms')}` : ', peer not installed'}; whole-process wall time over bare node: ours ${overBare('ours')} ms${t.peer ? `, peer ${overBare('peer')} ms` : ''} (bare ${round(median(wall('bare')))} ms, spread ${range(wall('bare'), 0, ' ms')})`,
  },
]);
