// Delivery faults in a real Chromium: a 429 from the real ingest's rate limiter pauses sending for
// its Retry-After (which the ingest exposes to pages through CORS), and an event whose fetch keeps
// failing still leaves with the page, by sendBeacon as text/plain, when the page goes away.
import { request as httpRequest, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestIngest, type TestIngest } from '../../../../test/helpers/ingest.js';
import { launchChromium, page, startSite, waitFor, type Site } from './harness.js';

const key = 'pk_test_delivery0123456789';
let browser: Browser;
let limited: TestIngest;
let ingest: TestIngest;
let front: Server;
let frontUrl: string;
const seenAtFront: { mode: string; type: string; status: number }[] = [];
let site: Site;

/** Answers 503 to the SDK's fetch (sec-fetch-mode: cors) and passes anything else (a beacon) to the ingest. */
function startFailingFront(target: string): Promise<Server> {
  const server = createServer((req, res) => {
    const mode = String(req.headers['sec-fetch-mode']);
    const type = String(req.headers['content-type']);
    if (req.method === 'POST' && mode === 'cors') {
      seenAtFront.push({ mode, type, status: 503 });
      return void res.writeHead(503, { 'access-control-allow-origin': '*' }).end();
    }
    const forward = httpRequest(target, { method: req.method, headers: { 'content-type': type } }, (answer) => {
      seenAtFront.push({ mode, type, status: answer.statusCode ?? 0 });
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(forward);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  // serve mode: one event per second for the key, so the second of two quick events gets a 429.
  limited = await startTestIngest({ mode: 'serve', adminToken: 'admin-token-for-tests', rateLimit: { ratePerSecond: 1, burst: 1 } });
  await limited.store.addKey(key, 'browser test');
  ingest = await startTestIngest();
  front = await startFailingFront(ingest.url);
  frontUrl = `http://127.0.0.1:${(front.address() as AddressInfo).port}/ingest`;
  site = await startSite({
    '/limited': page(`{ projectKey: '${key}', ingestUrl: '${limited.url}' }`),
    '/failing': page(`{ projectKey: '${key}', ingestUrl: '${frontUrl}' }`),
    '/next': ['text/html', '<!doctype html><p>next page</p>'],
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => front?.close(resolve));
  await Promise.all([site?.close(), limited?.dispose(), ingest?.dispose()]);
});

describe('delivery from Chromium', () => {
  it('honours a 429: the held event is sent after Retry-After (1 s), not dropped', async () => {
    const context = await browser.newContext();
    const tab = await context.newPage();
    await tab.goto(`${site.url}/limited`);
    const started = Date.now();
    await tab.evaluate(() => {
      setTimeout(() => { throw new Error('first'); });
      setTimeout(() => { throw new Error('second'); }, 20);
    });
    await waitFor(() => limited.accepted.length >= 2, 15_000);
    expect(limited.accepted.map((a) => a.event.message)).toEqual(['first', 'second']);
    // The second waited out the pause the 429 asked for, and no longer than its clamp would allow.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    await context.close();
  });

  it('hands an event whose fetch keeps failing to sendBeacon (text/plain) when the page goes away', async () => {
    const context = await browser.newContext();
    const tab = await context.newPage();
    await tab.goto(`${site.url}/failing`);
    await tab.evaluate(() => setTimeout(() => { throw new Error('left with the page'); }));
    await waitFor(() => seenAtFront.some((s) => s.status === 503));
    await tab.goto(`${site.url}/next`);
    const accepted = await waitFor(() => ingest.accepted.length > 0 && ingest.accepted);
    expect(accepted.map((a) => a.event.message)).toEqual(['left with the page']);
    // The ingest stores the beacon before the front sees its answer: wait for the front's record too.
    const beacon = await waitFor(() => seenAtFront.find((s) => s.mode !== 'cors'));
    expect(beacon).toMatchObject({ type: 'text/plain;charset=UTF-8', status: 201 });
    await context.close();
  });
});
