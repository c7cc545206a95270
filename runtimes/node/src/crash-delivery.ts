// Delivery for a process that is about to die. `uncaughtExceptionMonitor` runs synchronously
// just before Node prints the error and exits, and no async I/O started there would ever
// finish. When the ingest is plain http on a loopback address, this thread POSTs the events
// itself, synchronously (loopback-post.ts). Otherwise they go to a worker thread, which POSTs
// them with its own event loop while this thread waits on an Atomics flag. Both are bounded by
// the shutdown timeout, and whatever was not confirmed goes to the spool.
import { loopbackPoster, sleepSync, type SyncPost } from './loopback-post.js';
import { workerThreads } from './on-demand-builtins.js';
import { REQUEST_TIMEOUT_MS } from './transport.js';
import { USER_AGENT } from './version.js';

/** 1: delivered, 2: refused for good (4xx), 3: not delivered (the spool keeps it). */
type Result = 1 | 2 | 3;
type Step = { postMs: number } | { sleepMs: number };

/**
 * The retry rule for one event before exit, shared by this thread and the worker (which gets
 * its source text, so it refers to nothing outside itself): 408, 5xx and no answer are retried
 * after the backoff delays while the deadline allows; 429 and the deadline leave it unsent.
 */
function* deliveryPlan(backoffMs: number[], deadline: number, requestTimeoutMs: number): Generator<Step, Result, number> {
  for (let attempt = 0; ; attempt++) {
    const left = deadline - Date.now();
    if (left <= 0) return 3;
    const status = yield { postMs: Math.min(requestTimeoutMs, left) };
    if (status >= 200 && status < 300) return 1;
    if (status === 429) return 3;
    if (status !== 0 && status !== 408 && status < 500) return 2;
    const delay = backoffMs[attempt];
    if (delay === undefined || Date.now() + delay >= deadline) return 3;
    yield { sleepMs: delay };
  }
}

// node:http rather than fetch: loading fetch (undici) in a fresh worker costs more than the
// POST itself, and this is on the crashing process's way out.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { url, key, userAgent, deadline, requestTimeoutMs } = workerData;
const target = new URL(url);
const client = target.protocol === 'https:' ? require('node:https') : require('node:http');
const deliveryPlan = ${deliveryPlan.toString()};
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
  const plan = deliveryPlan(backoffMs, deadline, requestTimeoutMs);
  for (let step = plan.next(); ; ) {
    if (step.done) return step.value;
    step = 'postMs' in step.value ? plan.next(await post(body, step.value.postMs)) : (await sleep(step.value.sleepMs), plan.next());
  }
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
 * Everything is bounded by `timeoutMs` from now. A worker is started at once, so that it boots
 * while this thread builds the events (the two together were most of what a crash added to the
 * exit); `deliver` hands them over.
 */
export function startCourier(url: string, projectKey: string, timeoutMs: number): CrashCourier {
  const deadline = Date.now() + timeoutMs;
  if (timeoutMs <= 0) return { deliver: (bodies) => bodies.map(() => false) };
  const post = loopbackPoster(url, projectKey);
  if (post) return { deliver: (bodies, backoffMs) => bodies.map((body) => deliverNow(post, body, backoffMs, deadline) !== 3) };
  const { Worker } = workerThreads();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { url, key: projectKey, userAgent: USER_AGENT, deadline, requestTimeoutMs: REQUEST_TIMEOUT_MS },
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

/** One event, on this thread: its requests one after the other, the backoff slept with Atomics.wait. */
function deliverNow(post: SyncPost, body: string, backoffMs: number[], deadline: number): Result {
  const plan = deliveryPlan(backoffMs, deadline, REQUEST_TIMEOUT_MS);
  for (let step = plan.next(); ; ) {
    if (step.done) return step.value;
    if ('postMs' in step.value) step = plan.next(post(body, step.value.postMs));
    else {
      sleepSync(step.value.sleepMs);
      step = plan.next();
    }
  }
}
