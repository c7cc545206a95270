// The whole way of spec/fingerprint.md "Browser events": a real page in headless Chromium runs a
// real esbuild production build, the SDK reports a click that throws, and a real `ez-pixel listen`
// (the built CLI, in the project folder) maps the frames through the build's source maps. Two
// builds of the unchanged function land in one issue at src/cart.js.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killServers, startCliServer, type CliServer } from '../../../../test/helpers/cli-server.js';
import { buildFixture, changeMain, copySourceMapFixture } from '../../../../test/helpers/source-map-builds.js';
import { launchChromium, startSite, type Site } from './harness.js';

interface Accepted {
  fingerprint: string;
  new_group: boolean;
  event: { stack: { file: string; line: number; fn: string; in_app: boolean }[]; code_context: { file: string; error_line: number; lines: string[] } | null; runtime: string };
}

const key = 'pk_test_browser0123456789';
let browser: Browser;
let project: string;
let listener: CliServer;
const sites: Site[] = [];

beforeAll(async () => {
  project = copySourceMapFixture();
  listener = await startCliServer('listen', ['--database', join(project, 'events.db'), '--json'], {}, [], project);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(sites.map((site) => site.close()));
  killServers();
  rmSync(project, { recursive: true, force: true });
});

/** Serves the build at `/` (the script at `/<script>`, as a deploy does), clicks Buy, returns what listen printed. */
async function clickBuy(script: string): Promise<Accepted> {
  const init = `{ projectKey: '${key}', ingestUrl: '${listener.url}' }`;
  const html = `<!doctype html><html><head><script src="/ez-pixel.js"></script><script>ezPixel.initPixel(${init});</script>
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
    return JSON.parse(await listener.nextLine()) as Accepted;
  } finally {
    await context.close();
  }
}

describe('source maps for events from a real page', () => {
  it('groups two builds of an unchanged function, shown at its original file, line and code', async () => {
    const firstScript = buildFixture(project);
    const first = await clickBuy(firstScript);
    changeMain(project);
    const secondScript = buildFixture(project);
    expect(secondScript).not.toBe(firstScript);
    const second = await clickBuy(secondScript);

    const cart = readFileSync(join(project, 'src', 'cart.js'), 'utf8').split('\n');
    for (const accepted of [first, second]) {
      expect(accepted.event.runtime).toMatch(/^browser-/);
      expect(accepted.event.stack[0]).toMatchObject({ file: 'src/cart.js', line: 5, fn: 'checkout', in_app: true });
      expect(accepted.event.stack[1]).toMatchObject({ file: 'src/main.js', in_app: true });
      expect(accepted.event.code_context).toMatchObject({ file: 'src/cart.js', error_line: 5, lines: cart.slice(0, 10) });
    }
    expect(first.new_group).toBe(true);
    expect(second.new_group).toBe(false);
    expect(second.fingerprint).toBe(first.fingerprint);
  });
});
