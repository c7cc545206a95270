// Exit delay when the ingest accepts connections and never answers: from the moment the app
// throws (an uncaught exception) to the process's exit, with the same shutdown timeout (2 s)
// for ours and @sentry/node. Also ours on a normal exit with an event pending.
import { alternate, childScript, emit, median, prepare, range, round, runNode, startIngest } from './lib/harness.mjs';

const { ours, sentry } = prepare();
const blackhole = await startIngest('blackhole');
const TIMEOUT = 2000;

const crash = (setup) => `${setup}
setTimeout(() => { console.log('MARK'); throw new Error('crash with a silent ingest'); }, 50);
`;
const oursInit = `require(${JSON.stringify(ours)}).initPixel({ projectKey: 'pk_test_bench', ingestUrl: process.env.INGEST, shutdownTimeoutMs: ${TIMEOUT} });`;
const oursCrash = childScript('exit-ours', crash(oursInit));
const oursNormal = childScript('exit-ours-normal', `${oursInit}
setTimeout(() => { require(${JSON.stringify(ours)}).reportPixel('pending at exit'); console.log('MARK'); }, 50);
`);
const peerCrash = sentry && childScript('exit-peer', crash(`require(${JSON.stringify(sentry)}).init({ dsn: process.env.DSN, shutdownTimeout: ${TIMEOUT} });`));

const sample = (script) => async () => {
  const result = await runNode([script], { INGEST: blackhole.ingestUrl, DSN: blackhole.dsn });
  if (result.sinceMarkMs == null) throw new Error(`${script}: no mark (${result.stderr})`);
  return result.sinceMarkMs;
};
const runs = 7;
const t = await alternate({ ours: sample(oursCrash), normal: sample(oursNormal), ...(peerCrash ? { peer: sample(peerCrash) } : {}) }, runs);
await blackhole.close();

const limit = TIMEOUT * 1.1;
emit([
  {
    what: 'exit delay after a crash, ingest never answers',
    ours: round(median(t.ours), 0),
    peer: t.peer ? round(median(t.peer), 0) : null,
    peer_name: t.peer ? '@sentry/node (shutdownTimeout 2000)' : null,
    unit: 'ms',
    ratio: t.peer ? round(median(t.ours) / median(t.peer), 3) : null,
    target: `≤ timeout + 10% (${limit} ms)`,
    met: median(t.ours) <= limit,
    note: `from the throw to the exit, median of ${runs} alternating runs, shutdownTimeoutMs ${TIMEOUT}; spread ours ${range(t.ours, 0, ' ms')}${t.peer ? `, peer ${range(t.peer, 0, ' ms')}` : ', peer not installed'}`,
  },
  {
    what: 'exit delay on a normal exit with an event pending, ingest never answers',
    ours: round(median(t.normal), 0),
    peer: null,
    peer_name: null,
    unit: 'ms',
    ratio: null,
    target: `≤ timeout + 10% (${limit} ms)`,
    met: median(t.normal) <= limit,
    note: `the event is spooled for the next process; spread ${range(t.normal, 0, ' ms')}`,
  },
]);
