// What a crash costs an exiting process when the ingest answers promptly: the wall time of a
// script that throws an uncaught exception, with the SDK and with the same script under
// EZ_PIXEL_DISABLED=1, medians over alternating runs; beside @sentry/node's own cost (the same
// crash with Sentry initialised and without). Every run must have delivered its event.
import { availableParallelism, loadavg } from 'node:os';
import { alternate, childScript, emit, median, prepare, range, round, runNode, startIngest } from './lib/harness.mjs';

const { ours, sentry } = prepare();
const ingest = await startIngest('ok');

const crash = (setup) => `${setup}
setTimeout(() => { throw new Error('crash with a responsive ingest'); }, 20);
`;
const oursCrash = childScript('crash-ours', crash(`require(${JSON.stringify(ours)}).initPixel({ projectKey: 'pk_test_bench', ingestUrl: process.env.INGEST });`));
const peerCrash = sentry && childScript('crash-peer', crash(`if (process.env.WITH_SENTRY) require(${JSON.stringify(sentry)}).init({ dsn: process.env.DSN });`));

const sample = (script, env, expectEvent) => async () => {
  const before = ingest.state.received;
  const result = await runNode([script], { INGEST: ingest.ingestUrl, DSN: ingest.dsn, ...env });
  if (result.code !== 1) throw new Error(`${script}: exit ${result.code} (${result.stderr.slice(-300)})`);
  if (expectEvent && ingest.state.received === before) throw new Error(`${script}: no event delivered`);
  return result.ms;
};
const runs = 15;
const t = await alternate(
  {
    ours: sample(oursCrash, {}, true),
    disabled: sample(oursCrash, { EZ_PIXEL_DISABLED: '1' }, false),
    ...(peerCrash ? { peer: sample(peerCrash, { WITH_SENTRY: '1' }, true), bare: sample(peerCrash, {}, false) } : {}),
  },
  runs,
);
await ingest.close();

const added = median(t.ours) - median(t.disabled);
const peerAdded = t.peer ? median(t.peer) - median(t.bare) : null;
emit([
  {
    what: 'crash exit cost, responsive ingest (added wall time)',
    ours: round(added, 0),
    peer: peerAdded == null ? null : round(peerAdded, 0),
    peer_name: peerAdded == null ? null : '@sentry/node (init vs none)',
    unit: 'ms',
    ratio: peerAdded == null || peerAdded <= 0 ? null : round(added / peerAdded, 2),
    target: '≤ 50 ms added',
    met: added <= 50,
    note: `a script that throws 20 ms after start, median of ${runs} alternating runs each: with the SDK ${round(median(t.ours), 0)} ms (${range(t.ours, 0, ' ms')}), EZ_PIXEL_DISABLED=1 ${round(median(t.disabled), 0)} ms (${range(t.disabled, 0, ' ms')})${t.peer ? `; Sentry ${round(median(t.peer), 0)} ms, none ${round(median(t.bare), 0)} ms` : '; peer not installed'}; every crash's event delivered before the exit; load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores (wall times grow with it)`,
  },
]);
