// Delivery against a real ingest on 127.0.0.1 that answers scripted statuses, stalls or
// refuses connections. EZ_PIXEL_BACKOFF_SCALE (private, tests only) shrinks the backoff.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeApp } from './helpers/child-app.js';
import { cjsEntry, ensureBuilt } from './helpers/build.js';
import { IngestServer, refusingUrl } from './helpers/ingest-server.js';

beforeAll(() => ensureBuilt());
let server: IngestServer;
afterEach(async () => {
  await server?.close();
  expect(server.invalid).toEqual([]); // every event received matched spec/event.schema.json
});

/** A script that reports `count` events, flushes (bounded) and prints the stats. */
function reporter(count: number, options = '', flushMs = 10_000): string {
  return `const { initPixel, reportPixel, flushPixel, getPixelStats } = require(${JSON.stringify(cjsEntry)});
initPixel({ projectKey: 'pk_test_delivery', ingestUrl: process.env.INGEST, shutdownTimeoutMs: 0, ${options} });
for (let i = 0; i < ${count}; i++) reportPixel('event ' + i);
flushPixel(${flushMs}).then((done) => { console.log(JSON.stringify({ done, ...getPixelStats() })); process.exit(0); });
`;
}

async function runReporter(count: number, extra: { options?: string; flushMs?: number; env?: Record<string, string> } = {}) {
  const app = makeApp();
  const script = app.write('report.js', reporter(count, extra.options, extra.flushMs));
  const result = await app.run(script, { env: { INGEST: server.url, EZ_PIXEL_BACKOFF_SCALE: '0.05', ...extra.env } });
  const stats = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}');
  return { ...result, stats };
}

describe('delivery', () => {
  it('POSTs JSON with the content-type, x-pixel-key and user-agent headers', async () => {
    server = await IngestServer.start();
    const { stats } = await runReporter(1);
    expect(stats).toMatchObject({ done: true, delivered: 1, queued: 0 });
    const [request] = server.received;
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['x-pixel-key']).toBe('pk_test_delivery');
    expect(request!.headers['user-agent']).toBe('ez-pixel-node/0.2.0');
    expect(server.invalid).toEqual([]);
  });

  it('retries 503 and 408 with the same event_id until delivered', async () => {
    server = (await IngestServer.start()).reply({ status: 503 }, { status: 408 }, { status: 500 });
    const { stats, stderr } = await runReporter(1);
    expect(stats).toMatchObject({ done: true, delivered: 1, failed: 0 });
    expect(server.received).toHaveLength(4);
    expect(new Set(server.events.map((e) => e.event_id)).size).toBe(1);
    expect(stderr).toBe('');
  });

  it('gives up after the 0.2, 0.4, 0.8, 1.6, 3.2 s schedule with one stderr line', async () => {
    server = await IngestServer.start();
    server.fallback = { status: 503 };
    const { stats, stderr } = await runReporter(1);
    expect(server.received).toHaveLength(6);
    expect(stats).toMatchObject({ done: true, delivered: 0, failed: 1 });
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^ez-pixel: gave up delivering event [0-9a-f-]{36} after 6 attempts \(HTTP 503\)$/)]);
    // Gaps follow the schedule (scaled by 0.05: 10, 20, 40, 80, 160 ms), each at least its delay.
    const gaps = server.received.slice(1).map((r, i) => r.at - server.received[i]!.at);
    [10, 20, 40, 80, 160].forEach((delay, i) => expect(gaps[i]).toBeGreaterThanOrEqual(delay));
    expect(gaps[4]).toBeGreaterThan(gaps[0]!);
  });

  it('retries network errors (connection refused) and gives up with one line', async () => {
    server = await IngestServer.start();
    const app = makeApp();
    const script = app.write('report.js', reporter(2));
    const result = await app.run(script, { env: { INGEST: await refusingUrl(), EZ_PIXEL_BACKOFF_SCALE: '0.05' } });
    const stats = JSON.parse(result.stdout.trim());
    expect(stats).toMatchObject({ done: true, failed: 2, delivered: 0 });
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/gave up delivering event .* after 6 attempts \(ECONNREFUSED\)$/),
      expect.stringMatching(/gave up delivering event .* after 6 attempts \(ECONNREFUSED\)$/),
    ]);
  });

  it('drops other 4xx without retrying, with one warning per status code', async () => {
    server = (await IngestServer.start()).reply({ status: 400, body: '{"error":"bad field: level"}' }, { status: 400 }, { status: 401 }, { status: 400 });
    const { stats, stderr } = await runReporter(5, { options: 'maxQueue: 5' });
    expect(server.received).toHaveLength(5);
    expect(stats).toMatchObject({ done: true, rejected: 4, delivered: 1 });
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('HTTP 400: {"error":"bad field: level"}');
    expect(lines[1]).toContain('HTTP 401');
  });

  it('pauses on 429 for Retry-After seconds, keeping the queue', async () => {
    // The 429 is held for 100 ms so the app can see the first request in flight, and reports the
    // others only once it has been answered: they must then wait for Retry-After, whatever the load.
    server = (await IngestServer.start()).reply({ status: 429, headers: { 'retry-after': '1' }, delayMs: 100 });
    const app = makeApp();
    const script = app.write('report.js', `const { initPixel, reportPixel, flushPixel, getPixelStats } = require(${JSON.stringify(cjsEntry)});
initPixel({ projectKey: 'pk_test_delivery', ingestUrl: process.env.INGEST, maxQueue: 3 });
reportPixel('first');
let sentFirst = false;
const poll = setInterval(() => {
  if (getPixelStats().inFlight > 0) return void (sentFirst = true);
  if (!sentFirst) return;
  clearInterval(poll);
  reportPixel('second'); reportPixel('third');
  const during = getPixelStats();
  flushPixel(5000).then((done) => console.log(JSON.stringify({ done, during, ...getPixelStats() })));
}, 5);
`);
    const result = await app.run(script, { env: { INGEST: server.url } });
    const stats = JSON.parse(result.stdout);
    expect(stats).toMatchObject({ done: true, delivered: 3, dropped: 0, during: { queued: 3 } });
    const [throttled, ...rest] = server.received;
    expect(rest.map((r) => r.event.message).sort()).toEqual(['first', 'second', 'third']);
    for (const request of rest) expect(request.at - throttled!.at).toBeGreaterThanOrEqual(950);
  });

  it('honours Retry-After as an HTTP date, and defaults to 60 s without one', async () => {
    server = (await IngestServer.start()).reply({ status: 429, headers: { 'retry-after': new Date(Date.now() + 4000).toUTCString() } });
    const dated = await runReporter(1);
    expect(dated.stats).toMatchObject({ done: true, delivered: 1 });
    expect(server.received[1]!.at - server.received[0]!.at).toBeGreaterThanOrEqual(900);
    await server.close();

    server = (await IngestServer.start()).reply({ status: 429 });
    const paused = await runReporter(1, { flushMs: 1500 });
    expect(paused.stats).toMatchObject({ done: false, queued: 1, delivered: 0 });
    expect(server.received).toHaveLength(1);
  });

  for (const [name, header] of [['99999999999 seconds', '99999999999'], ['a date in the year 9999', 'Fri, 31 Dec 9999 23:59:59 GMT']]) {
    it(`clamps a Retry-After of ${name} to 24 h: no retry storm, no TimeoutOverflowWarning`, async () => {
      const throttle = { status: 429, headers: { 'retry-after': header } };
      server = (await IngestServer.start()).reply(throttle, throttle);
      const app = makeApp();
      const script = app.write('report.js', `const { initPixel, reportPixel, flushPixel, getPixelStats } = require(${JSON.stringify(cjsEntry)});
initPixel({ projectKey: 'pk_test_delivery', ingestUrl: process.env.INGEST, shutdownTimeoutMs: 0 });
reportPixel('throttled'); reportPixel('kept');
setTimeout(() => flushPixel(2000).then((done) => console.log(JSON.stringify({ done, ...getPixelStats() }))), 100);
`);
      const result = await app.run(script, { env: { INGEST: server.url } });
      expect(result.stderr).toBe('');
      expect(server.received.length).toBeLessThanOrEqual(2);
      expect(JSON.parse(result.stdout)).toMatchObject({ done: false, queued: 2, delivered: 0 });
    });
  }

  it('keeps at most 4 requests in flight', async () => {
    server = await IngestServer.start();
    server.fallback = { status: 200, delayMs: 150 };
    const { stats } = await runReporter(20, { options: 'maxQueue: 20' });
    expect(stats).toMatchObject({ done: true, delivered: 20 });
    expect(server.maxInFlight).toBe(4);
  });

  it('retries a request that stalls past the 5 s timeout', async () => {
    server = (await IngestServer.start()).reply('stall');
    const started = Date.now();
    const { stats } = await runReporter(1, { flushMs: 15_000 });
    expect(stats).toMatchObject({ done: true, delivered: 1 });
    expect(server.received).toHaveLength(2);
    expect(server.received[1]!.at - started).toBeGreaterThanOrEqual(5000);
  });

  it('bounds the queue at maxQueue, dropping and counting the newest', async () => {
    server = await IngestServer.start();
    server.fallback = 'stall';
    // The app stays up (its requests stalled) until the test has seen what reached the server,
    // then prints its stats: no fixed sleep decides how much a loaded machine got done.
    const app = makeApp();
    const release = join(app.dir, 'release');
    const script = app.write('report.js', `const { initPixel, reportPixel, getPixelStats } = require(${JSON.stringify(cjsEntry)});
initPixel({ projectKey: 'pk_test_delivery', ingestUrl: process.env.INGEST, shutdownTimeoutMs: 0, maxQueue: 5 });
for (let i = 0; i < 20; i++) reportPixel('event ' + i);
const reported = getPixelStats();
const wait = setInterval(() => {
  if (!require('node:fs').existsSync(${JSON.stringify(release)})) return;
  clearInterval(wait);
  console.log(JSON.stringify({ reported, ...getPixelStats() }));
  process.exit(0);
}, 10);
`);
    const running = app.run(script, { env: { INGEST: server.url } });
    let sent: string[];
    try {
      const [first] = await server.waitFor(4, 30_000);
      // Long enough for a fifth request to show up if the SDK sent one, and short of the 5 s request
      // timeout after which a retry of one of the four would legitimately arrive.
      await new Promise((r) => setTimeout(r, Math.max(0, Math.min(500, first!.at + 4000 - Date.now()))));
      sent = server.events.map((e) => e.message);
    } finally {
      writeFileSync(release, '');
    }
    const result = await running;
    const stats = JSON.parse(result.stdout.trim());
    expect(stats).toMatchObject({ reported: { queued: 5, dropped: 15 }, queued: 5, dropped: 15, delivered: 0 });
    // The five kept are the oldest five; four of them are in flight (stalled), the fifth waits.
    expect(sent).toHaveLength(4);
    expect(new Set(sent).size).toBe(4);
    for (const message of sent) expect(['event 0', 'event 1', 'event 2', 'event 3', 'event 4']).toContain(message);
  });
});
