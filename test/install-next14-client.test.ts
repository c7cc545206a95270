// Next.js 13.4–15.2's browser side, clicked in a real page: before 15.3 there is no
// instrumentation-client, so install renders a client component first in the root layout (in
// <html> here: create-next-app writes <body>{children}</body> on one line). On node-next14-client (Next 14.2, JS, productionBrowserSourceMaps): install --yes
// against a real `ez-pixel listen` adds both SDKs in one npm command, `next build` + `next start`
// on 127.0.0.1, headless Chromium clicks a button whose handler throws → one event from the
// browser SDK, mapped to app/cart-button.js; doctor is green; uninstall gives every byte back.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../runtimes/browser/test/chromium/harness.js';
import { killServers, startCliServer, type CliServer } from './helpers/cli-server.js';
import { copyFixture, removeFixtureCopies } from './helpers/fixtures.js';
import { freePort, npmStart, until, type RunningApp } from './helpers/run-app.js';
import { doctorChecks, quietEnv, runCli, treeDifferences, treeFingerprint } from './install-helpers.js';

const env = { NEXT_TELEMETRY_DISABLED: '1' };
type ListenEvent = { message: string; type: string; manual_report: boolean; sdk: { name: string }; stack: { file: string; line: number; in_app: boolean }[] };

let dir: string;
let original: Map<string, string>;
let listen: CliServer;
let app: RunningApp | undefined;
let browser: Browser | undefined;
let installOutput: string;
const database = join(mkdtempSync(join(tmpdir(), 'ez-pixel-next14-client-')), 'events.db');

beforeAll(async () => {
  dir = await copyFixture('node-next14-client');
  original = treeFingerprint(dir);
  // listen runs in the project, as a user runs it: it finds the maps in .next/static.
  listen = await startCliServer('listen', ['--database', database, '--json'], {}, [], dir);
  const install = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', listen.url], { cwd: dir, env });
  installOutput = install.stdout + install.stderr;
  expect(install.exitCode, installOutput).toBe(0);
  const build = await execa('npm', ['run', 'build'], { cwd: dir, env: { ...quietEnv, ...env }, reject: false, all: true, timeout: 300_000 });
  expect(build.exitCode, String(build.all)).toBe(0);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  killServers();
  rmSync(join(database, '..'), { recursive: true, force: true });
  await removeFixtureCopies();
});

describe('Next.js 14 app router: the browser SDK from a client component in the root layout', () => {
  it('one command adds both packages, and the root layout renders the client component first in <html> (its <body>{children}</body> is one line)', () => {
    expect(installOutput).toContain('npm install --no-audit --no-fund file:.ez-pixel/ez-pixel-node-0.2.0.tgz file:.ez-pixel/ez-pixel-browser-0.2.0.tgz');
    const layout = readFileSync(join(dir, 'app/layout.js'), 'utf8');
    expect(layout.startsWith("import EzPixelClient from '../ez-pixel.client'; // ez-pixel\n")).toBe(true);
    expect(layout).toContain('    <html lang="en">\n      <EzPixelClient /> {/* ez-pixel */}\n      <body>{children}</body>\n');
  });

  it('a click whose handler throws: one event from the browser SDK, at the original source line', async () => {
    const port = await freePort();
    app = npmStart(dir, { ...env, PORT: String(port) });
    await until(() => (app!.output().includes('Ready') ? true : undefined), 60_000, () => `next start:\n${app!.output()}`);
    browser = await launchChromium();
    const page = await browser.newPage();
    try {
      await page.goto(`http://127.0.0.1:${port}`);
      await page.getByRole('button', { name: /Add to cart/ }).click();
      const { event } = JSON.parse(await listen.nextLine()) as { event: ListenEvent };
      expect(event).toMatchObject({ type: 'RangeError', message: 'cannot add an empty selection to the cart', manual_report: false, sdk: { name: 'ez-pixel-browser' } });
      expect(event.stack[0]).toMatchObject({ file: 'app/cart-button.js', line: 7, in_app: true });
      // Exactly one: the layout's component starts the SDK once, however many pages render it.
      await expect(listen.nextLine(2000)).rejects.toThrow(/no stdout line/);
    } finally {
      await page.close();
      await app.stop();
      app = undefined;
    }
  });

  it('doctor is green on the build, and uninstall gives back every byte', async () => {
    const doctor = await doctorChecks(dir);
    expect([...doctor.checks.values()].filter((check) => check.status === 'fail')).toEqual([]);
    const uninstall = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir });
    expect(uninstall.exitCode, uninstall.stderr).toBe(0);
    const changed = treeDifferences(original, treeFingerprint(dir)).filter((path) => !/^(package-lock\.json|\.next\/|next-env\.d\.ts|node_modules\/)/.test(path));
    expect(changed).toEqual([]);
  });
});
