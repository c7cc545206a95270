// Delivery for a process that is about to die. `uncaughtExceptionMonitor` runs synchronously
// just before Node prints the error and exits, and no async I/O started there would ever
// finish. So the events go to a worker thread, which POSTs them with its own event loop while
// this thread waits on an Atomics flag, bounded by the shutdown timeout. Whatever the worker
// did not confirm goes to the spool.
import { workerThreads } from './on-demand-builtins.js';
import { USER_AGENT } from './version.js';

// 0: still trying, 1: delivered, 2: refused for good (4xx), 3: not delivered.
// node:http rather than fetch: loading fetch (undici) in a fresh worker costs more than the
// POST itself, and this is on the crashing process's way out.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { url, key, userAgent, deadline } = workerData;
const target = new URL(url);
const client = target.protocol === 'https:' ? require('node:https') : require('node:http');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const post = (body, timeoutMs) => new Promise((resolve) => {
  const request = client.request(target, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-pixel-key': key, 'user-agent': userAgent },
    signal: AbortSignal.timeout(timeoutMs),
  }, (response) => {
    response.resume();
    response.on('end', () => resolve(response.statusCode));
    response.on('error', () => resolve(0));
  });
  request.on('error', () => resolve(0));
  request.end(body);
});
async function deliver(body, backoffMs) {
  for (let attempt = 0; ; attempt++) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    const status = await post(body, Math.min(5000, left));
    if (status >= 200 && status < 300) return 1;
    if (status === 429) break;
    if (status !== 0 && status !== 408 && status < 500) return 2;
    const delay = backoffMs[attempt];
    if (delay === undefined || Date.now() + delay >= deadline) break;
    await sleep(delay);
  }
  return 3;
}
parentPort.once('message', async ({ bodies, backoffMs, state }) => {
  const flags = new Int32Array(state);
  let next = 0;
  const lane = async () => {
    while (next < bodies.length) {
      const index = next++;
      Atomics.store(flags, index + 1, await deliver(bodies[index], backoffMs));
    }
  };
  await Promise.all([lane(), lane(), lane(), lane()]);
  Atomics.store(flags, 0, 1);
  Atomics.notify(flags, 0);
  // Tear this thread down now, while the main thread prints the error: the process's exit
  // waits for every worker to be gone.
  process.exit(0);
});
`;

export interface CrashCourier {
  /** Blocks until the deadline at most; returns, per body, whether it is settled (delivered or refused). */
  deliver(bodies: string[], backoffMs: number[]): boolean[];
}

/**
 * Starts the worker at once, so that it boots while this thread builds the events (the two
 * together are most of what a crash adds to the exit); `deliver` hands them over. Everything
 * is bounded by `timeoutMs` from now.
 */
export function startCourier(url: string, projectKey: string, timeoutMs: number): CrashCourier {
  const deadline = Date.now() + timeoutMs;
  if (timeoutMs <= 0) return { deliver: (bodies) => bodies.map(() => false) };
  const { Worker } = workerThreads();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { url, key: projectKey, userAgent: USER_AGENT, deadline },
    stdout: true,
    stderr: true,
    // Not the app's preloads (-r, --import, NODE_OPTIONS): they would run again in the worker,
    // maybe slowly (an APM agent), and eat the shutdown budget before a single POST.
    execArgv: [],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  worker.unref();
  return {
    deliver(bodies, backoffMs) {
      const settled = bodies.map(() => false);
      try {
        if (bodies.length === 0) return settled;
        const state = new SharedArrayBuffer(4 * (bodies.length + 1));
        const flags = new Int32Array(state);
        // Delivered by the worker's own event loop: this thread's may stay blocked.
        worker.postMessage({ bodies, backoffMs, state });
        Atomics.wait(flags, 0, 0, Math.max(0, deadline - Date.now()));
        for (let i = 0; i < bodies.length; i++) {
          const result = Atomics.load(flags, i + 1);
          settled[i] = result === 1 || result === 2;
        }
        return settled;
      } finally {
        void worker.terminate();
      }
    },
  };
}
