// The dashboard in a real headless Chromium (Debian's chromium, driven by playwright-core):
// clicks and assertions on the page, against a real ingest; screenshots go to test-output/dashboard/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { root } from './helpers/cli-server.js';
import { makeEvent, postEvent, startTestIngest, type TestIngest } from './helpers/ingest.js';

const screenshots = join(root, 'test-output', 'dashboard');
const chromiumPath = process.env.EZ_PIXEL_CHROMIUM ?? '/usr/bin/chromium';

let browser: Browser;
let page: Page;
beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
});
afterEach(async () => {
  await page.close();
});

const crash = (overrides: Record<string, unknown> = {}) =>
  makeEvent({
    type: 'TypeError',
    message: "Cannot read properties of undefined (reading 'total')",
    fingerprint: 'aaaaaaaaaaaaaaaa',
    stack: [
      { file: 'node_modules/express/lib/router/layer.js', line: 95, col: 5, fn: 'Layer.handle', in_app: false },
      { file: 'src/orders.js', line: 12, col: 20, fn: 'priceOrder', in_app: true },
    ],
    code_context: { file: 'src/orders.js', error_line: 12, start_line: 10, lines: ['function priceOrder(order) {', '  const items = order.items;', '  return items.total * 1.2;', '}'] },
    cause: [{ relation: 'cause', type: 'RangeError', message: 'no items', stack: [{ file: 'src/cart.js', line: 3, col: 1, fn: 'load', in_app: true }] }],
    context: { method: 'POST', path: '/orders', route: '/orders' },
    runtime: 'node-20.20.2',
    release: '1.4.2',
    environment: 'production',
    ...overrides,
  });

describe('the dashboard on listen', () => {
  let ingest: TestIngest;
  beforeEach(async () => {
    ingest = await startTestIngest();
  });
  afterEach(async () => {
    await ingest.dispose();
  });

  it('lists issues, opens one, pages its occurrences, and resolves, ignores and reopens it', async () => {
    for (let i = 0; i < 25; i++) expect((await postEvent(ingest.url, crash())).status).toBe(201);
    await postEvent(ingest.url, makeEvent({ type: 'ValueError', message: 'bad input', fingerprint: 'bbbbbbbbbbbbbbbb' }));

    await page.goto(`${ingest.origin}/`);
    const rows = page.locator('tr.issue');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.nth(0).locator('.type').textContent()).toBe('ValueError');
    const orders = rows.filter({ hasText: 'TypeError' });
    expect(await orders.locator('.count').textContent()).toBe('25');
    expect(await orders.locator('.message').textContent()).toBe("Cannot read properties of undefined (reading 'total')");
    expect(await orders.locator('svg.sparkline rect[height="20"]').count()).toBe(1);
    expect(await orders.locator('.status').textContent()).toBe('open');
    await page.screenshot({ path: join(screenshots, 'issue-list.png'), fullPage: true });

    await orders.click();
    await page.waitForSelector('#stack');
    expect(await page.locator('#stack li.in-app').first().textContent()).toBe('priceOrder  src/orders.js:12:20');
    expect(await page.locator('#stack li.library').textContent()).toContain('node_modules/express');
    expect(await page.locator('pre.code .error-line').textContent()).toBe('   12    return items.total * 1.2;');
    expect(await page.locator('#causes .cause').textContent()).toContain('RangeError: no items');
    expect(await page.locator('#context pre').textContent()).toContain('"route": "/orders"');
    const facts = await page.locator('#facts').textContent();
    for (const fact of ['node-20.20.2', '1.4.2', 'production']) expect(facts).toContain(fact);
    expect(await page.locator('#occurrences tbody tr').count()).toBe(20);
    await page.screenshot({ path: join(screenshots, 'issue-page.png'), fullPage: true });
    await page.getByRole('button', { name: 'Older' }).click();
    await expect.poll(() => page.locator('#occurrences tbody tr').count()).toBe(25);

    const id = Number(new URL(page.url()).hash.split('/').pop());
    // Each click waits for the page to show the state it led to, so the next click lands on the
    // buttons of that state, and for the store to hold it.
    const shownStatus = () => page.locator('h1 + p .status').first().textContent();
    for (const [button, status] of [['Resolve', 'resolved'], ['Ignore', 'ignored'], ['Reopen', 'open'], ['Resolve', 'resolved']] as const) {
      await page.getByRole('button', { name: button }).click();
      await expect.poll(shownStatus).toBe(status);
      expect((await ingest.store.getIssue(id))?.status).toBe(status);
    }
    await page.goto(`${ingest.origin}/#/?status=resolved`);
    await expect.poll(() => page.locator('tr.issue').count()).toBe(1);
  });

  it('updates live: a new event and a regression appear without a reload', async () => {
    const first = await postEvent(ingest.url, crash());
    await page.goto(`${ingest.origin}/`);
    await page.waitForSelector('.live.on');
    await expect.poll(() => page.locator('tr.issue').count()).toBe(1);

    await postEvent(ingest.url, makeEvent({ type: 'KeyError', message: 'user_id', fingerprint: 'cccccccccccccccc' }));
    await expect.poll(() => page.locator('tr.issue').count()).toBe(2);
    await postEvent(ingest.url, crash());
    await expect.poll(() => page.locator('tr.issue', { hasText: 'TypeError' }).locator('.count').textContent()).toBe('2');

    const issueId = (await ingest.store.listIssues({ limit: 10 })).find((issue) => issue.fingerprint === first.body.fingerprint)!.id;
    await ingest.store.setIssueStatus(issueId, 'resolved');
    await postEvent(ingest.url, crash());
    await expect.poll(() => page.locator('tr.issue', { hasText: 'TypeError' }).locator('.regression').count()).toBe(1);
    await page.screenshot({ path: join(screenshots, 'live-regression.png'), fullPage: true });
  });

  it('shows the newest read when two answers arrive out of order', async () => {
    await postEvent(ingest.url, crash());
    await page.goto(`${ingest.origin}/`);
    await page.waitForSelector('.live.on');
    const count = () => page.locator('tr.issue .count').textContent();
    await expect.poll(count).toBe('1');

    // The next issue-list answer (after the second event) is read from the server at once but
    // handed to the page only after the answer to the third event has been shown.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let heldAnswer!: () => void;
    const answerHeld = new Promise<void>((resolve) => (heldAnswer = resolve));
    let held = false;
    await page.route('**/api/issues*', async (route) => {
      if (held) return route.continue();
      held = true;
      const response = await route.fetch();
      heldAnswer();
      await released;
      await route.fulfill({ response });
    });
    await postEvent(ingest.url, crash());
    await answerHeld;
    await postEvent(ingest.url, crash());
    await expect.poll(count).toBe('3');

    const late = page.waitForEvent('requestfinished', (request) => request.url().includes('/api/issues'));
    release();
    await late;
    // The page has run what the late answer scheduled once a frame has been drawn after it.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
    expect(await count()).toBe('3');
  });
});

describe('the dashboard on serve', () => {
  const token = 'dashboard-test-admin-token-0123456789';
  let ingest: TestIngest;
  beforeEach(async () => {
    ingest = await startTestIngest({ mode: 'serve', adminToken: token });
  });
  afterEach(async () => {
    await ingest.dispose();
  });

  it('asks for the admin token, refuses a wrong one, and shows the issues after the right one', async () => {
    await ingest.store.addKey('pk_test_served', 'web');
    expect((await postEvent(ingest.url, crash({ project_key: 'pk_test_served' }))).status).toBe(201);
    await page.goto(`${ingest.origin}/`);
    await page.fill('input[name=token]', 'not-the-token');
    await page.click('button[type=submit]');
    await expect.poll(() => page.locator('.sign-in .error').textContent()).toBe('That is not the admin token.');
    await page.fill('input[name=token]', token);
    await page.click('button[type=submit]');
    await expect.poll(() => page.locator('tr.issue').count()).toBe(1);
    await page.screenshot({ path: join(screenshots, 'serve-signed-in.png'), fullPage: true });
    const cookie = (await page.context().cookies()).find((c) => c.name === 'ez_pixel_admin');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  });
});
