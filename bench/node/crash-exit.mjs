// What a crash costs an exiting process when the ingest answers promptly: the wall time of a
// script that throws an uncaught exception, with the SDK and with the same script under
// EZ_PIXEL_DISABLED=1, medians over alternating runs; beside @sentry/node's own cost (the same
// crash with Sentry initialised and without). Every run must have delivered its event.
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { alternate, cacheDir, childScript, emit, median, prepare, range, round, runNode, startIngest } from './lib/harness.mjs';

const { ours, sentry } = prepare();
const ingest = await startIngest('ok');
const cpuFile = join(cacheDir, '..', 'crash-exit-cpu.txt');

// The CPU the process used (all threads), written at exit by a listener that runs before the SDK's.
const crash = (setup) => `process.on('exit', () => { const u = process.cpuUsage(); require('node:fs').writeFileSync(process.env.CPU_FILE, String((u.user + u.system) / 1000)); });
${setup}
setTimeout(() => { throw new Error('crash with a responsive ingest'); }, 20);
`;
const oursCrash = childScript('crash-ours', crash(`require(${JSON.stringify(ours)}).initPixel({ projectKey: 'pk_test_bench', ingestUrl: process.env.INGEST });`));
const peerCrash = sentry && childScript('crash-peer', crash(`if (process.env.WITH_SENTRY) require(${JSON.stringify(sentry)}).init({ dsn: process.env.DSN });`));

const sample = (script, env, expectEvent) => async () => {
  const before = ingest.state.received;
  const result = await runNode([script], { INGEST: ingest.ingestUrl, DSN: ingest.dsn, CPU_FILE: cpuFile, ...env });
  if (result.code !== 1) throw new Error(`${script}: exit ${result.code} (${result.stderr.slice(-300)})`);
  if (expectEvent && ingest.state.received === before) throw new Error(`${script}: no event delivered`);
  return { ms: result.ms, cpu: Number(readFileSync(cpuFile, 'utf8')) };
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

const wall = (name) => t[name]?.map((r) => r.ms);
const cpu = (name) => t[name]?.map((r) => r.cpu);
const added = median(wall('ours')) - median(wall('disabled'));
const peerAdded = t.peer ? median(wall('peer')) - median(wall('bare')) : null;
const cpuAdded = median(cpu('ours')) - median(cpu('disabled'));
const peerCpuAdded = t.peer ? median(cpu('peer')) - median(cpu('bare')) : null;
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
    note: `a script that throws 20 ms after start, median of ${runs} alternating runs each: with the SDK ${round(median(wall('ours')), 0)} ms (${range(wall('ours'), 0, ' ms')}), EZ_PIXEL_DISABLED=1 ${round(median(wall('disabled')), 0)} ms (${range(wall('disabled'), 0, ' ms')})${t.peer ? `; Sentry ${round(median(wall('peer')), 0)} ms, none ${round(median(wall('bare')), 0)} ms` : '; peer not installed'}; every crash's event delivered before the exit; load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores (wall times grow with it)`,
  },
  {
    what: 'crash exit cost, responsive ingest (added CPU, all threads)',
    ours: round(cpuAdded, 1),
    peer: peerCpuAdded == null ? null : round(peerCpuAdded, 1),
    peer_name: peerCpuAdded == null ? null : '@sentry/node (init vs none)',
    unit: 'ms',
    ratio: peerCpuAdded == null || peerCpuAdded <= 0 ? null : round(cpuAdded / peerCpuAdded, 2),
    target: '≤ 50 ms added',
    met: cpuAdded <= 50,
    note: `user + system CPU of the process up to its exit event (all threads; to this loopback ingest the main thread delivers, with no worker), same runs; with the SDK ${round(median(cpu('ours')), 1)} ms (${range(cpu('ours'), 1, ' ms')}), EZ_PIXEL_DISABLED=1 ${round(median(cpu('disabled')), 1)} ms; less sensitive to the machine's load than wall time`,
  },
]);
