// The whole way of spec/fingerprint.md "Browser events": a real page in headless Chromium runs a
// real esbuild production build, the SDK reports a click that throws, and a real ingest (the built
// CLI) maps the frames through the build's source maps: `listen` from the project's build output,
// `serve` (SQLite and PostgreSQL) from the maps `ez-pixel sourcemaps upload` sent for the page's
// release. Two builds of the unchanged function land in one issue at src/cart.js.
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { killServers, runCli, startCliServer, type CliServer } from '../../../../test/helpers/cli-server.js';
import { usePostgres } from '../../../../test/helpers/postgres.js';
import { buildFixture, changeMain, copySourceMapFixture } from '../../../../test/helpers/source-map-builds.js';
import { launchChromium, startSite, type Site } from './harness.js';

interface StoredEvent {
  event_id: string;
  fingerprint: string;
  release?: string;
  stack: { file: string; line: number; fn: string; in_app: boolean }[];
  code_context: { file: string; error_line: number; lines: string[] } | null;
  runtime: string;
}

interface Accepted {
  fingerprint: string;
  new_group: boolean;
  event: StoredEvent;
}

const key = 'pk_test_browser0123456789';
let browser: Browser;
let project: string;
const sites: Site[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});
beforeEach(() => {
  project = copySourceMapFixture();
});
afterEach(async () => {
  await Promise.all(sites.splice(0).map((site) => site.close()));
  killServers();
  rmSync(project, { recursive: true, force: true });
});
afterAll(async () => {
  await browser?.close();
});

/** Serves the build at `/` (the script at `/<script>`, as a deploy does) and clicks Buy on a page whose SDK has `init`. */
async function clickBuy(script: string, init: Record<string, string>): Promise<void> {
  const html = `<!doctype html><html><head><script src="/ez-pixel.js"></script><script>ezPixel.initPixel(${JSON.stringify(init)});</script>
<script type="module">import { onBuyClick } from '/${script}'; document.getElementById('buy').addEventListener('click', () => onBuyClick());</script>
</head><body><button id="buy">Buy</button></body></html>`;
  const site = await startSite({ '/': ['text/html', html], [`/${script}`]: ['text/javascript', readFileSync(join(project, 'dist', script), 'utf8')] });
  sites.push(site);
  const context = await browser.newContext();
  try {
    const tab = await context.newPage();
    await tab.goto(site.url);
    await tab.waitForFunction(() => document.readyState === 'complete');
    await tab.click('#buy');
    await tab.evaluate(() => (window as unknown as { ezPixel: { flushPixel(): Promise<boolean> } }).ezPixel.flushPixel());
  } finally {
    await context.close();
  }
}

function expectMappedToCart(events: StoredEvent[]): void {
  const cart = readFileSync(join(project, 'src', 'cart.js'), 'utf8').split('\n');
  for (const event of events) {
    expect(event.runtime).toMatch(/^browser-/);
    expect(event.stack[0]).toMatchObject({ file: 'src/cart.js', line: 5, fn: 'checkout', in_app: true });
    expect(event.stack[1]).toMatchObject({ file: 'src/main.js', in_app: true });
    expect(event.code_context).toMatchObject({ file: 'src/cart.js', error_line: 5, lines: cart.slice(0, 10) });
  }
}

describe('source maps for events from a real page, at listen', () => {
  it('groups two builds of an unchanged function, shown at its original file, line and code', async () => {
    const listener = await startCliServer('listen', ['--database', join(project, 'events.db'), '--json'], {}, [], project);
    const firstScript = buildFixture(project);
    await clickBuy(firstScript, { projectKey: key, ingestUrl: listener.url });
    const first = JSON.parse(await listener.nextLine()) as Accepted;
    changeMain(project);
    const secondScript = buildFixture(project);
    expect(secondScript).not.toBe(firstScript);
    await clickBuy(secondScript, { projectKey: key, ingestUrl: listener.url });
    const second = JSON.parse(await listener.nextLine()) as Accepted;

    expectMappedToCart([first.event, second.event]);
    expect(first.new_group).toBe(true);
    expect(second.new_group).toBe(false);
    expect(second.fingerprint).toBe(first.fingerprint);
  });
});

const token = randomBytes(24).toString('hex');
const env = { EZ_PIXEL_ADMIN_TOKEN: token, EZ_PIXEL_DATABASE: undefined };

async function startServe(database: string): Promise<CliServer> {
  const added = await runCli(['keys', 'add', '--database', database, '--key', key], { env });
  expect(added.code, added.stderr).toBe(0);
  return startCliServer('serve', ['--database', database], env);
}

async function storedEvents(serve: CliServer, count: number): Promise<StoredEvent[]> {
  for (const deadline = Date.now() + 10_000; ; ) {
    const response = await fetch(`${serve.origin}/events?limit=50`, { headers: { authorization: `Bearer ${token}` } });
    const { events } = (await response.json()) as { events: StoredEvent[] };
    if (events.length >= count) return events.reverse();
    if (Date.now() > deadline) throw new Error(`serve stored ${events.length} of ${count} events`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const postgres = usePostgres();
describe.each([
  ['SQLite', () => Promise.resolve(join(project, 'serve.db'))],
  ['PostgreSQL', () => postgres().freshDatabase()],
])('source maps for events from a real page, at serve on %s', (_engine, database) => {
  it('maps each release with its uploaded maps, groups the two builds as one, and stores a release without maps as sent', async () => {
    const serve = await startServe(await database());
    const upload = async (release: string) => {
      const sent = await runCli(['sourcemaps', 'upload', '--release', release, '--url', serve.url, '--key', key, '--cwd', project, 'dist'], { env });
      expect(sent.code, sent.stderr).toBe(0);
    };
    const firstScript = buildFixture(project);
    await upload('2026.12.1');
    await clickBuy(firstScript, { projectKey: key, ingestUrl: serve.url, release: '2026.12.1' });
    changeMain(project);
    rmSync(join(project, 'dist'), { recursive: true });
    const secondScript = buildFixture(project);
    await upload('2026.12.2');
    await clickBuy(secondScript, { projectKey: key, ingestUrl: serve.url, release: '2026.12.2' });
    await clickBuy(secondScript, { projectKey: key, ingestUrl: serve.url, release: 'never-uploaded' });

    const [first, second, unmapped] = await storedEvents(serve, 3);
    expectMappedToCart([first!, second!]);
    expect([first!.release, second!.release]).toEqual(['2026.12.1', '2026.12.2']);
    expect(second!.fingerprint).toBe(first!.fingerprint);
    expect(unmapped!.stack[0]!.file).toBe(secondScript);
    expect(unmapped!.fingerprint).not.toBe(first!.fingerprint);
    const issues = await fetch(`${serve.origin}/api/issues?limit=10`, { headers: { authorization: `Bearer ${token}` } });
    const { issues: listed } = (await issues.json()) as { issues: { fingerprint: string; count: number }[] };
    expect(listed.find((issue) => issue.fingerprint === first!.fingerprint)?.count).toBe(2);
  });
});
