// The SDK in a real headless Chromium, against a real ingest on another loopback port (so every
// event crosses CORS as text/plain): clicks that throw, rejections, causes, non-Error throws,
// cross-origin "Script error.", the page's own onerror, the dedupe window, an unload, a 429.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { fingerprint } from '../../../node/src/fingerprint.js';
import { startTestIngest, type TestIngest } from '../../../../test/helpers/ingest.js';
import { INSECURE_HOST, launchChromium, page, startSite, waitFor, type Site } from './harness.js';

const key = 'pk_test_browser0123456789';
let browser: Browser;
let ingest: TestIngest;
let site: Site;
let other: Site;

const app = `
function checkout() { throw new TypeError('cart is empty'); }
function load() { return Promise.reject(new Error('load failed', { cause: new RangeError('quota') })); }
`;

beforeAll(async () => {
  ingest = await startTestIngest();
  // A script from another origin, loaded without crossorigin: its errors reach the page as "Script error.".
  other = await startSite({ '/widget.js': ['text/javascript', 'function widget() { throw new Error("secret detail"); }'] });
  const init = `{ projectKey: '${key}', ingestUrl: '${ingest.url}', release: '1.0.0' }`;
  site = await startSite({
    '/app.js': ['text/javascript', app],
    '/': page(init, `<button id="pay" onclick="checkout()">pay</button>`, `<meta name="ingest" content="${ingest.url}"><script src="/app.js"></script>`),
    '/own-onerror': page(init, '', `<script src="/app.js"></script><script>window.onerror = () => { window.ownHandlerRan = true; };</script>`),
    '/cross': page(init, '', `<script src="${other.url}/widget.js"></script>`),
    '/next': ['text/html', '<!doctype html><p>next page</p>'],
  });
  site.hits.length = 0;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([site?.close(), other?.close(), ingest?.dispose()]);
});

const events = () => ingest.accepted.map((a) => a.event);
const since = (count: number) => events().slice(count);

async function open(path: string, origin = site.url) {
  const context = await browser.newContext();
  const tab = await context.newPage();
  const warnings: string[] = [];
  tab.on('console', (message) => message.type() === 'warning' && warnings.push(message.text()));
  await tab.goto(origin + path);
  return { tab, warnings, close: () => context.close() };
}

describe('@ez-pixel/browser in Chromium', () => {
  it('reports a click that throws: type, message, the page frame; the ingest fingerprints the frames sent', async () => {
    const before = events().length;
    const { tab, close } = await open('/');
    await tab.click('#pay');
    const [event] = await waitFor(() => since(before).length > 0 && since(before));
    expect(event).toMatchObject({ type: 'TypeError', message: 'cart is empty', level: 'error', manual_report: false, release: '1.0.0', project_key: key });
    expect(event!.runtime).toMatch(/^browser-chrome-\d+\./);
    expect(event!.stack[0]).toEqual({ file: 'app.js', line: 2, col: expect.any(Number), fn: 'checkout', in_app: true });
    expect(event!.fingerprint).toBe(fingerprint({ kind: 'error', type: 'TypeError', message: '', frames: event!.stack.map((f) => ({ ...f, source: null })), logger: null }));
    expect((event!.context as { page: string }).page).toBe(`${site.url}/`);
    await close();
  });

  it('works on a plain-http page that is not localhost (no crypto.subtle): the same group as the spec computes', async () => {
    const before = events().length;
    const { tab, close } = await open('/', site.url.replace('127.0.0.1', INSECURE_HOST));
    expect(await tab.evaluate(() => [isSecureContext, typeof crypto.subtle])).toEqual([false, 'undefined']);
    await tab.click('#pay');
    const [event] = await waitFor(() => since(before).length > 0 && since(before));
    expect(event).toMatchObject({ type: 'TypeError', message: 'cart is empty' });
    expect(event!.stack[0]).toMatchObject({ file: 'app.js', fn: 'checkout', in_app: true });
    expect(event!.fingerprint).toBe(fingerprint({ kind: 'error', type: 'TypeError', message: '', frames: event!.stack.map((f) => ({ ...f, source: null })), logger: null }));
    await close();
  });

  it('reports an unhandled rejection with its cause chain, and a thrown string', async () => {
    const before = events().length;
    const { tab, close } = await open('/');
    await tab.evaluate(() => {
      void (window as unknown as { load: () => Promise<void> }).load();
      setTimeout(() => {
        throw 'plain string';
      });
    });
    const got = await waitFor(() => since(before).length >= 2 && since(before));
    const rejection = got.find((e) => e.type === 'Error')!;
    expect(rejection.message).toBe('load failed');
    expect(rejection.cause).toEqual([{ relation: 'cause', type: 'RangeError', message: 'quota', stack: expect.any(Array) }]);
    expect(got.find((e) => e.type === 'String')).toMatchObject({ message: 'plain string', stack: [] });
    await close();
  });

  it("leaves the page's own onerror in place and still reports", async () => {
    const before = events().length;
    const { tab, close } = await open('/own-onerror');
    await tab.evaluate(() => setTimeout(() => (window as unknown as { checkout: () => void }).checkout()));
    await waitFor(() => since(before).length > 0);
    expect(await tab.evaluate(() => (window as unknown as { ownHandlerRan?: boolean }).ownHandlerRan)).toBe(true);
    await close();
  });

  it('counts and ignores a cross-origin "Script error.", with one hint about crossorigin', async () => {
    const before = events().length;
    const { tab, warnings, close } = await open('/cross');
    await tab.evaluate(() => {
      setTimeout(() => (window as unknown as { widget: () => void }).widget());
      setTimeout(() => (window as unknown as { widget: () => void }).widget());
    });
    await waitFor(() => warnings.length > 0);
    await tab.evaluate(() => (window as unknown as { ezPixel: { flushPixel(): Promise<boolean> } }).ezPixel.flushPixel());
    const stats = await tab.evaluate(() => (window as unknown as { ezPixel: { getPixelStats(): { crossOrigin: number } } }).ezPixel.getPixelStats());
    expect(stats.crossOrigin).toBe(2);
    expect(warnings).toEqual([expect.stringMatching(/^ez-pixel: "Script error\.": needs <script crossorigin>, its server CORS$/)]);
    expect(since(before)).toEqual([]);
    await close();
  });

  it('sends the same error within a few seconds once, and a different one', async () => {
    const before = events().length;
    const { tab, close } = await open('/');
    for (let i = 0; i < 5; i++) await tab.click('#pay');
    await tab.evaluate(() => setTimeout(() => { throw new Error('another'); }));
    await waitFor(() => since(before).length >= 2);
    await tab.evaluate(() => (window as unknown as { ezPixel: { flushPixel(): Promise<boolean> } }).ezPixel.flushPixel());
    expect(since(before).map((e) => e.message).sort()).toEqual(['another', 'cart is empty']);
    const stats = await tab.evaluate(() => (window as unknown as { ezPixel: { getPixelStats(): { dropped: number } } }).ezPixel.getPixelStats());
    expect(stats.dropped).toBe(4);
    await close();
  });

  it('sends a manual report scrubbed, through beforeSend, and nothing after closePixel', async () => {
    const before = events().length;
    const { tab, close } = await open('/');
    const ids = await tab.evaluate(async () => {
      const sdk = (window as unknown as { ezPixel: typeof import('../../src/index.js') }).ezPixel;
      sdk.initPixel({
        projectKey: 'pk_test_browser0123456789',
        ingestUrl: document.querySelector('meta[name=ingest]')?.getAttribute('content') ?? '',
        beforeSend: (event) => ({ ...event, context: { ...event.context, added: 'by the hook' } }),
      });
      const first = sdk.reportPixel('checkout failed for jane@example.com', { level: 'warning', context: { password: 'hunter2', user: 'jane@example.com' } });
      await sdk.closePixel();
      const afterClose = sdk.reportPixel('after close');
      setTimeout(() => { throw new Error('after close'); });
      await new Promise((resolve) => setTimeout(resolve, 300));
      return [first, afterClose];
    });
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[1]).toBeNull();
    const got = since(before);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({
      event_id: ids[0],
      type: 'Message',
      message: 'checkout failed for [scrubbed]',
      level: 'warning',
      manual_report: true,
      context: { password: '[scrubbed]', user: '[scrubbed]', added: 'by the hook' },
    });
    await close();
  });

  it('delivers an error thrown just before the page navigates away', async () => {
    const before = events().length;
    const { tab, close } = await open('/');
    await tab.evaluate(() => {
      setTimeout(() => {
        location.href = '/next';
        throw new Error('thrown while leaving');
      });
    });
    await tab.waitForURL('**/next');
    const [event] = await waitFor(() => since(before).length > 0 && since(before));
    expect(event!.message).toBe('thrown while leaving');
    await close();
  });
});
