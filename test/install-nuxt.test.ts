// Nuxt 4 end to end, on a copy of node-nuxt (the `nuxi init` minimal template's shape) with real
// npm from the registry: one install, one `nuxt build` and one `node .output/server/index.mjs`
// for the whole file, all against a real `ez-pixel listen`. Headless Chromium clicks a button
// whose handler throws (Vue catches it: only the plugin's vue:error hook sees it) → one event
// from @ez-pixel/browser; a server route and a server-side render that throw → one event each
// from @ez-pixel/node with the method and path. doctor passes through the real start path, fails
// with the fix when the server plugin is gone; a re-run changes nothing; uninstall gives the tree
// back byte for byte, both SDKs removed.
import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { execa, type ResultPromise } from 'execa';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../runtimes/browser/test/chromium/harness.js';
import { killServers, startCliServer, type CliServer } from './helpers/cli-server.js';
import { copyFixture, removeFixtureCopies } from './helpers/fixtures.js';
import { freePort, until } from './helpers/run-app.js';
import { doctorChecks, git, quietEnv, runCli, treeDifferences, treeFingerprint } from './install-helpers.js';

interface ListenedEvent {
  type: string;
  message: string;
  level: string;
  sdk: { name: string };
  context: Record<string, unknown> | null;
  stack: { file: string; line: number; in_app: boolean }[];
}

const env = { NUXT_TELEMETRY_DISABLED: '1' };
/** What npm, nuxt prepare and nuxt build make of their own: not ours to give back. */
const toolOutput = /^(node_modules|\.nuxt|\.output|package-lock\.json)(\/|$)/;

let dir: string;
let before: Map<string, string>;
let listen: CliServer;
let server: ResultPromise | undefined;
let serverOutput = '';
let base: string;
let browser: Browser | undefined;
const events: ListenedEvent[] = [];

beforeAll(async () => {
  listen = await startCliServer('listen', ['--json', '--database', join(tmpdir(), `ez-pixel-nuxt-${process.pid}.db`)]);
  // Every line listen prints from here on is one stored event.
  createInterface({ input: listen.child.stdout! }).on('line', (line) => events.push((JSON.parse(line) as { event: ListenedEvent }).event));
  dir = await copyFixture('node-nuxt');
  before = treeFingerprint(dir);
  const install = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', listen.url], { cwd: dir, env });
  expect(install.exitCode, install.stdout + install.stderr).toBe(0);
  const build = await execa('npm', ['run', 'build'], { cwd: dir, env: { ...quietEnv, ...env }, reject: false, all: true, timeout: 300_000 });
  expect(build.exitCode, String(build.all)).toBe(0);
  const port = await freePort();
  server = execa(process.execPath, ['.output/server/index.mjs'], { cwd: dir, env: { HOST: '127.0.0.1', PORT: String(port) }, reject: false, all: true });
  server.all?.on('data', (chunk: Buffer) => (serverOutput += chunk.toString()));
  base = `http://127.0.0.1:${port}`;
  await until(async () => (await fetch(`${base}/api/health`).then((r) => r.ok, () => false)) || undefined, 30_000, () => `the Nuxt server:\n${serverOutput}`);
  browser = await launchChromium();
}, 420_000);

afterAll(async () => {
  await browser?.close();
  server?.kill();
  await server;
  killServers();
  await removeFixtureCopies();
});

/** The events that arrived after `seen`, once `count` are there and a duplicate would have arrived too. */
async function arrived(seen: number, count: number): Promise<ListenedEvent[]> {
  await until(() => (events.length - seen >= count ? true : undefined), 20_000, () => `${count} events; the server said:\n${serverOutput}`);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  return events.slice(seen);
}

describe('Nuxt 4 (node-nuxt, npm)', () => {
  it('install creates the three files, edits no file of the app and declares both SDKs', async () => {
    expect(readFileSync(join(dir, 'server/plugins/ez-pixel.ts'), 'utf8')).toContain("nitroApp.hooks.hook('error', nitroErrorHook());");
    expect(readFileSync(join(dir, 'server/ez-pixel.init.ts'), 'utf8')).toContain('export const ezPixelStarted = initPixel({');
    expect(readFileSync(join(dir, 'app/plugins/ez-pixel.client.ts'), 'utf8')).toContain("from '@ez-pixel/browser'");
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies).filter((name) => name.startsWith('@ez-pixel/')).sort()).toEqual(['@ez-pixel/browser', '@ez-pixel/node']);
    const changed = (await git(dir, ['status', '--porcelain'])).split('\n').filter(Boolean).map((line) => line.slice(3));
    expect(changed.filter((path) => !toolOutput.test(path)).sort()).toEqual(['.ez-pixel/', 'app/plugins/', 'package.json', 'server/ez-pixel.init.ts', 'server/plugins/']);
  });

  it('a click whose handler throws (caught by Vue, never at window.onerror) → one event from the browser SDK', async () => {
    const seen = events.length;
    const page = await browser!.newPage();
    try {
      await page.goto(base, { waitUntil: 'networkidle' });
      await page.click('#checkout');
      const [event, ...rest] = await arrived(seen, 1);
      expect(rest).toEqual([]);
      expect(event).toMatchObject({ type: 'TypeError', message: 'cart total is not a number', sdk: { name: 'ez-pixel-browser' } });
      expect(event!.context).toMatchObject({ nuxt: { hook: 'vue:error' }, page: `${base}/` });
      expect(event!.stack[0]?.file).toMatch(/^_nuxt\/[\w-]+\.js$/);
    } finally {
      await page.close();
    }
  });

  it('a server route and a server-side render that throw → one event each from the Node SDK, with method and path; a 404 is none', async () => {
    const seen = events.length;
    expect((await fetch(`${base}/api/boom?token=secret`, { headers: { cookie: 'session=secret' } })).status).toBe(500);
    expect((await fetch(`${base}/report`)).status).toBe(500);
    expect((await fetch(`${base}/api/missing`)).status).toBe(404);
    const got = await arrived(seen, 2);
    expect(got.map((event) => [event.sdk.name, event.type, event.message, event.context]).sort()).toEqual([
      ['ez-pixel-node', 'Error', 'inventory service is down', { request: { method: 'GET', path: '/api/boom' } }],
      ['ez-pixel-node', 'RangeError', 'report has no rows', { request: { method: 'GET', path: '/report' } }],
    ]);
    // Nitro's server build has source maps: the route's frame is its source file.
    expect(got.find((event) => event.type === 'Error')?.stack[0]).toMatchObject({ file: 'server/api/boom.ts', line: 2, in_app: true });
    expect(JSON.stringify(got)).not.toContain('secret');
  });

  it("the page's chunks hold the browser SDK and none of the Node SDK", () => {
    const chunks = readdirSync(join(dir, '.output/public/_nuxt')).filter((name) => name.endsWith('.js'));
    const text = chunks.map((name) => readFileSync(join(dir, '.output/public/_nuxt', name), 'utf8')).join('\n');
    expect(text).toContain('ez-pixel-browser');
    expect(text).not.toContain('ez-pixel-node');
  });

  it('doctor passes, its probe through node .output/server/index.mjs; with the server plugin gone it fails with the fix', async () => {
    const seen = events.length;
    const doctor = await runCli(['doctor', '--cwd', dir], { cwd: dir });
    expect(doctor.exitCode, doctor.stdout).toBe(0);
    expect(doctor.stdout).toMatch(/✓ build +the \.output build holds server\/plugins\/ez-pixel\.ts/);
    expect(doctor.stdout).toMatch(/✓ client-sdk +@ez-pixel\/browser 0\.2\.0 is declared and installed/);
    expect(doctor.stdout).toMatch(/✓ client-bundle +the built client chunks \(\.output\/public\) hold the @ez-pixel\/browser init/);
    expect(doctor.stdout).toMatch(/✓ probe +a test event/);
    expect((await arrived(seen, 1)).map((event) => [event.sdk.name, event.level])).toEqual([['ez-pixel-node', 'info']]);

    renameSync(join(dir, 'server/plugins/ez-pixel.ts'), join(dir, 'server/plugins/ez-pixel.ts.off'));
    try {
      const broken = await doctorChecks(dir);
      expect(broken.exitCode).toBe(1);
      expect(broken.checks.get('load-order')).toMatchObject({ status: 'fail', message: 'server/plugins/ez-pixel.ts does not exist', fix: 'npx ez-pixel install' });
    } finally {
      renameSync(join(dir, 'server/plugins/ez-pixel.ts.off'), join(dir, 'server/plugins/ez-pixel.ts'));
    }
  });

  it('a re-run changes nothing', async () => {
    const fingerprint = treeFingerprint(dir);
    const again = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', listen.url], { cwd: dir, env });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stderr).toContain('Already set up');
    expect(treeDifferences(fingerprint, treeFingerprint(dir))).toEqual([]);
  });

  it('uninstall removes both SDKs and every file and folder of ours: the tree is byte-identical', async () => {
    server?.kill();
    await server;
    const uninstall = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir, env });
    expect(uninstall.exitCode, uninstall.stdout + uninstall.stderr).toBe(0);
    expect(['node', 'browser'].filter((sdk) => existsSync(join(dir, 'node_modules/@ez-pixel', sdk)))).toEqual([]);
    expect(treeDifferences(before, treeFingerprint(dir)).filter((path) => !toolOutput.test(path))).toEqual([]);
  });
});
