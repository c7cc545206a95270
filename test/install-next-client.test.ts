// Next.js 15.3+ gets both SDKs in one install (the full-stack mechanism, docs/adding-a-platform.md):
// one `npm install` adds @ez-pixel/node and @ez-pixel/browser, instrumentation-client.ts loads the
// browser init. On one copy of node-next15-client, installed and built once: `next build` +
// `next start` on 127.0.0.1, headless Chromium clicks a button whose handler throws → one event
// from the browser SDK at a real `ez-pixel listen`, mapped through productionBrowserSourceMaps to
// src/app/checkout-button.tsx; a route that throws → one event from the Node SDK; the client
// chunks hold no Node SDK; doctor green; a re-run changes nothing; uninstall removes both packages
// and every file byte-identically. A failing package manager rolls back both sides.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../runtimes/browser/test/chromium/harness.js';
import { killServers, startCliServer, type CliServer } from './helpers/cli-server.js';
import { copyFixture, makeProject, removeFixtureCopies } from './helpers/fixtures.js';
import { freePort, npmStart, until, type RunningApp } from './helpers/run-app.js';
import { git, quietEnv, runCli, startFakeRegistry, treeDifferences, treeFingerprint } from './install-helpers.js';

const env = { NEXT_TELEMETRY_DISABLED: '1' };
type Frame = { file: string; line: number; fn: string; in_app: boolean };
type ListenEvent = { message: string; type: string; sdk: { name: string }; stack: Frame[] };

let dir: string;
let original: Map<string, string>;
let listen: CliServer;
let app: RunningApp;
let base: string;
let browser: Browser;
let installOutput: string;
const events: ListenEvent[] = [];
const database = join(mkdtempSync(join(tmpdir(), 'ez-pixel-next-client-')), 'events.db');

/** Every event listen has printed so far (it prints one JSON line each with --json). */
async function readEvents(count: number): Promise<ListenEvent[]> {
  while (events.length < count) events.push((JSON.parse(await listen.nextLine()) as { event: ListenEvent }).event);
  return events;
}

beforeAll(async () => {
  dir = await copyFixture('node-next15-client');
  original = treeFingerprint(dir);
  // listen runs in the project, as a user runs it: it finds the maps in .next/static.
  listen = await startCliServer('listen', ['--database', database, '--json'], {}, [], dir);
  const install = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', listen.url], { cwd: dir, env });
  installOutput = install.stdout + install.stderr;
  expect(install.exitCode, installOutput).toBe(0);
  const build = await execa('npm', ['run', 'build'], { cwd: dir, env: { ...quietEnv, ...env }, reject: false, all: true, timeout: 300_000 });
  expect(build.exitCode, String(build.all)).toBe(0);
  const port = await freePort();
  app = npmStart(dir, { ...env, PORT: String(port) });
  base = `http://127.0.0.1:${port}`;
  await until(() => (app.output().includes('Ready') ? true : undefined), 60_000, () => `next start:\n${app.output()}`);
  browser = await launchChromium();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  killServers();
  rmSync(join(database, '..'), { recursive: true, force: true });
  await removeFixtureCopies();
});

describe('Next.js 15.3+: both SDKs in one transaction', () => {
  it('one command adds both packages, the record names both, instrumentation-client.ts loads the browser init', async () => {
    expect(installOutput).toContain('npm install --no-audit --no-fund file:.ez-pixel/ez-pixel-node-0.2.0.tgz file:.ez-pixel/ez-pixel-browser-0.2.0.tgz');
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(manifest.dependencies['@ez-pixel/node']).toBe('file:.ez-pixel/ez-pixel-node-0.2.0.tgz');
    expect(manifest.dependencies['@ez-pixel/browser']).toBe('file:.ez-pixel/ez-pixel-browser-0.2.0.tgz');
    const record = JSON.parse(readFileSync(join(dir, '.ez-pixel/install.json'), 'utf8'));
    expect(record.dependency.name).toBe('@ez-pixel/node');
    expect(record.companions.map((companion: { name: string; artifact: string }) => [companion.name, companion.artifact])).toEqual([['@ez-pixel/browser', '.ez-pixel/ez-pixel-browser-0.2.0.tgz']]);
    expect(record.files.map((file: { path: string }) => file.path)).toEqual(expect.arrayContaining(['src/ez-pixel.client.ts', 'src/instrumentation-client.ts']));
    expect(readFileSync(join(dir, 'src/instrumentation-client.ts'), 'utf8')).toContain("import './ez-pixel.client'; // ez-pixel");
    const client = readFileSync(join(dir, 'src/ez-pixel.client.ts'), 'utf8');
    expect(client).toContain("import { initPixel } from '@ez-pixel/browser';");
    expect(client).toContain('process.env.NEXT_PUBLIC_EZ_PIXEL_PROJECT_KEY || fallbackProjectKey');
    expect(client).not.toContain('@ez-pixel/node');
  });

  it('the built client chunks hold the browser SDK and never the Node SDK', async () => {
    const chunks = (await readdir(join(dir, '.next/static'), { recursive: true })).filter((file) => file.endsWith('.js'));
    const texts = chunks.map((file) => readFileSync(join(dir, '.next/static', file), 'utf8'));
    expect(texts.some((text) => text.includes('"ez-pixel-browser"'))).toBe(true);
    expect(texts.filter((text) => text.includes('ez-pixel-node') || text.includes('@ez-pixel/node'))).toEqual([]);
  });

  it('a click whose handler throws in a client component: one event from the browser SDK, at the original source line', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(base);
      await page.getByRole('button', { name: /Apply coupon/ }).click();
      const [event] = await readEvents(1);
      expect(event?.sdk.name).toBe('ez-pixel-browser');
      expect(event?.type).toBe('Error');
      expect(event?.message).toBe('coupon SAVE is too short');
      // The minifier inlines applyCoupon into the handler, so the frame's name is not asserted.
      expect(event?.stack[0]).toMatchObject({ file: 'src/app/checkout-button.tsx', line: 7, in_app: true });
    } finally {
      await page.close();
    }
  });

  it('a route that throws on the server: one event from the Node SDK, and nothing more from the click', async () => {
    expect((await fetch(`${base}/boom`)).status).toBe(500);
    const [, event] = await readEvents(2);
    expect(event?.sdk.name).toBe('ez-pixel-node');
    expect(event?.message).toBe('next15 route handler failed');
    await new Promise((resolve) => setTimeout(resolve, 1500)); // a duplicate would arrive by now
    await expect(listen.nextLine()).rejects.toThrow(/no stdout line/);
  }, 30_000);

  it('doctor is green, the client checks included; a re-run of install changes nothing', async () => {
    const doctor = await runCli(['doctor', '--no-send', '--cwd', dir], { cwd: dir, env });
    expect(doctor.exitCode, doctor.stdout).toBe(0);
    expect(doctor.stdout).toMatch(/✓ client-sdk +@ez-pixel\/browser 0\.2\.0 is declared and installed/);
    expect(doctor.stdout).toMatch(/✓ client-bundle +the built client chunks \(\.next\/static\) hold the @ez-pixel\/browser init/);
    expect(doctor.stdout).toMatch(/✓ source-maps +the built client chunks have source maps/);
    const status = await git(dir, ['status', '--porcelain']);
    const again = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', listen.url], { cwd: dir, env });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout + again.stderr).toContain('Already set up');
    expect(await git(dir, ['status', '--porcelain'])).toBe(status);
  });

  it('uninstall removes both packages in one command and gives every file back byte for byte', async () => {
    await app.stop();
    const uninstall = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir });
    expect(uninstall.exitCode, uninstall.stderr).toBe(0);
    expect(uninstall.stdout + uninstall.stderr).toMatch(/npm uninstall --no-audit --no-fund @ez-pixel\/node\s+(│\s+)?@ez-pixel\/browser/);
    expect(existsSync(join(dir, 'node_modules/@ez-pixel'))).toBe(false);
    // What next build and npm made (the lockfile, .next, next-env.d.ts, node_modules) is the project's own.
    const made = /^(package-lock\.json|next-env\.d\.ts|tsconfig\.tsbuildinfo|\.next\/.*|node_modules\/.*)$/;
    expect(treeDifferences(original, treeFingerprint(dir)).filter((path) => !made.test(path))).toEqual([]);
  }, 120_000);
});

describe('a failed install of a full-stack framework', () => {
  it('a package manager that fails: exit 4, both sides rolled back, every byte restored', async () => {
    const registry = await startFakeRegistry('missing');
    try {
      // npm must fetch the app's own dependency from a registry that answers 404.
      const broken = await makeProject('next-broken', {
        'package.json': `${JSON.stringify({ name: 'broken', private: true, dependencies: { next: '15.5.0', 'ez-pixel-test-no-such-package': '1.0.0' } }, null, 2)}\n`,
        'app/layout.js': 'export default function RootLayout({ children }) {\n  return (\n    <html lang="en">\n      <body>{children}</body>\n    </html>\n  );\n}\n',
      });
      const before = treeFingerprint(broken);
      const install = await runCli(['install', '--yes', '--cwd', broken, '--ingest-url', listen.url], { cwd: broken, env: { ...env, npm_config_registry: registry.url } });
      expect(install.exitCode, install.stderr).toBe(4);
      expect(install.stderr).toContain('command: npm install --no-audit --no-fund file:.ez-pixel/ez-pixel-node-0.2.0.tgz file:.ez-pixel/ez-pixel-browser-0.2.0.tgz');
      expect(install.stderr).toMatch(/every file was restored/);
      rmSync(/full log: (\S+)/.exec(install.stderr)?.[1] ?? '', { force: true });
      expect(treeDifferences(before, treeFingerprint(broken))).toEqual([]);
      expect(await git(broken, ['status', '--porcelain', '--ignored'])).toBe('');
    } finally {
      await registry.close();
    }
  });
});
