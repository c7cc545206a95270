// Delivery for a process that is about to die. `uncaughtExceptionMonitor` runs synchronously
// just before Node prints the error and exits, and no async I/O started there would ever
// finish. So the events go to a worker thread, which POSTs them with its own event loop while
// this thread waits on an Atomics flag, bounded by the shutdown timeout. Whatever the worker
// did not confirm goes to the spool.
import { workerThreads } from './on-demand-builtins.js';
import { USER_AGENT } from './version.js';

// 0: still trying, 1: delivered, 2: refused for good (4xx), 3: not delivered.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { url, key, userAgent, bodies, deadline, backoffMs, state } = workerData;
const flags = new Int32Array(state);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function deliver(index) {
  for (let attempt = 0; ; attempt++) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-pixel-key': key, 'user-agent': userAgent },
        body: bodies[index],
        signal: AbortSignal.timeout(Math.min(5000, left)),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return 1;
      if (response.status === 429) break;
      if (response.status !== 408 && response.status < 500) return 2;
    } catch {}
    const delay = backoffMs[attempt];
    if (delay === undefined || Date.now() + delay >= deadline) break;
    await sleep(delay);
  }
  return 3;
}
(async () => {
  let next = 0;
  const lane = async () => {
    while (next < bodies.length) {
      const index = next++;
      Atomics.store(flags, index + 1, await deliver(index));
    }
  };
  await Promise.all([lane(), lane(), lane(), lane()]);
  Atomics.store(flags, 0, 1);
  Atomics.notify(flags, 0);
})();
`;

export interface CrashBatch {
  url: string;
  projectKey: string;
  bodies: string[];
  timeoutMs: number;
  backoffMs: number[];
}

/** Blocks for at most `timeoutMs`; returns, per body, whether it is settled (delivered or refused). */
export function deliverBeforeDeath(batch: CrashBatch): boolean[] {
  const settled = batch.bodies.map(() => false);
  if (batch.bodies.length === 0 || batch.timeoutMs <= 0) return settled;
  const state = new SharedArrayBuffer(4 * (batch.bodies.length + 1));
  const flags = new Int32Array(state);
  const deadline = Date.now() + batch.timeoutMs;
  const { Worker } = workerThreads();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { url: batch.url, key: batch.projectKey, userAgent: USER_AGENT, bodies: batch.bodies, deadline, backoffMs: batch.backoffMs, state },
    stdout: true,
    stderr: true,
    // Not the app's preloads (-r, --import, NODE_OPTIONS): they would run again in the worker,
    // maybe slowly (an APM agent), and eat the shutdown budget before a single POST.
    execArgv: [],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  worker.unref();
  Atomics.wait(flags, 0, 0, Math.max(0, deadline - Date.now()));
  for (let i = 0; i < batch.bodies.length; i++) {
    const result = Atomics.load(flags, i + 1);
    settled[i] = result === 1 || result === 2;
  }
  void worker.terminate();
  return settled;
}
