// React Router 7 framework mode is wired automatically, both sides in one install: one npm command
// adds @ez-pixel/node and @ez-pixel/browser; app/entry.server is created from the installed default
// with the init's import first and a handleError that hands errors to captureRouterError, and
// app/entry.client with the browser init's import first and HydratedRouter's onError. On one copy
// of node-react-router (npm from the registry, react-router build with source maps,
// react-router-serve on 127.0.0.1, a real `ez-pixel listen` in the project): doctor fails the
// build made before install, then passes; a failing loader is one Node event with {method, path}
// (a 404 none); in headless Chromium a route component's render error and a click handler's throw
// are one browser event each, mapped to app/routes/counter.jsx, and a loader failing on a client
// navigation is one Node event and no browser one; a re-run changes nothing; uninstall removes both
// packages and gives the tree back. Remix v2, wired by the same mechanism, is test/install-remix.test.ts.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../runtimes/browser/test/chromium/harness.js';
import { killServers, startCliServer, type CliServer } from './helpers/cli-server.js';
import { copyFixture } from './helpers/fixtures.js';
import { freePort, npmStart, until, type RunningApp } from './helpers/run-app.js';
import { git, quietEnv, runCli, treeDifferences, treeFingerprint } from './install-helpers.js';

type Frame = { file: string; line: number; in_app: boolean };
type ListenEvent = { message: string; type: string; sdk: { name: string }; stack: Frame[]; context?: Record<string, unknown>; manual_report: boolean };

describe('React Router 7: both SDKs (npm, react-router build, react-router-serve, Chromium)', () => {
  let dir = '';
  let original = new Map<string, string>();
  let listen: CliServer;
  let browser: Browser;
  let app: RunningApp | undefined;
  let base = '';
  const database = join(mkdtempSync(join(tmpdir(), 'ez-pixel-react-router-')), 'events.db');
  const events: ListenEvent[] = [];
  const env = { ...quietEnv };
  const run = (command: string, args: string[]) => execa(command, args, { cwd: dir, env, reject: false, all: true, timeout: 300_000 });
  // What react-router build and serve assume when it is unset (vitest sets it to test, and React's development build then runs).
  const production = { ...env, NODE_ENV: 'production' };
  const build = () => execa('npm', ['run', 'build'], { cwd: dir, env: production, reject: false, all: true, timeout: 300_000 });
  const cli = (args: string[]) => runCli([...args, '--cwd', dir], { cwd: dir, env });
  /** The next `count` events listen prints (one JSON line each with --json). */
  const nextEvents = async (count: number): Promise<ListenEvent[]> => {
    const read: ListenEvent[] = [];
    while (read.length < count) read.push((JSON.parse(await listen.nextLine()) as { event: ListenEvent }).event);
    events.push(...read);
    return read;
  };
  /** Nothing more arrives within 2 s: a duplicate would have by now. */
  const noMoreEvents = () => expect(listen.nextLine(2000)).rejects.toThrow(/no stdout line/);

  beforeAll(async () => {
    dir = await copyFixture('node-react-router');
    const setup = await run('npm', ['install', '--no-audit', '--no-fund']);
    expect(setup.exitCode, String(setup.all)).toBe(0);
    await git(dir, ['add', '--all']);
    await git(dir, ['commit', '--quiet', '--no-verify', '--message', 'npm install']);
    original = treeFingerprint(dir);
    // Built before install, as an app already deployed is: doctor must say that build reports nothing.
    const built = await build();
    expect(built.exitCode, String(built.all)).toBe(0);
    // listen runs in the project with its defaults, as a user runs it: they hold build/client/ (the page's scripts) and build/ (the server's).
    listen = await startCliServer('listen', ['--database', database, '--json'], {}, [], dir);
    browser = await launchChromium();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    killServers();
    rmSync(join(database, '..'), { recursive: true, force: true });
  });

  it('one command adds both SDKs; entry.server and entry.client are created from the installed defaults with our lines', async () => {
    const install = await cli(['install', '--yes', '--ingest-url', listen.url]);
    expect(install.exitCode, install.stderr).toBe(0);
    expect(install.stderr).toContain('npm install --no-audit --no-fund file:.ez-pixel/ez-pixel-node-0.2.0.tgz file:.ez-pixel/ez-pixel-browser-0.2.0.tgz');
    expect(install.stderr).toContain('npm run build && npm start');
    // The fixture's vite.config is the template's, without source maps: install turns hidden ones on.
    expect(readFileSync(join(dir, 'vite.config.js'), 'utf8')).toContain("export default defineConfig({\n  build: { sourcemap: 'hidden' }, // ez-pixel\n  plugins: [reactRouter()],\n});");
    const server = readFileSync(join(dir, 'app', 'entry.server.jsx'), 'utf8');
    const defaults = join(dir, 'node_modules', '@react-router', 'dev', 'dist', 'config', 'defaults');
    expect(server.split('\n').slice(0, 2)).toEqual(["import './ez-pixel.init.server.mjs'; // ez-pixel", "import { captureRouterError } from '@ez-pixel/node'; // ez-pixel"]);
    expect(readFileSync(join(defaults, 'entry.server.node.tsx'), 'utf8')).toContain('routerContext: EntryContext,');
    expect(server).toContain('  routerContext,\n'); // the default's own code, its types taken out
    expect(server).not.toMatch(/import type|: EntryContext|: unknown\)/);
    expect(server).toContain('export function handleError(error, args) {\n  captureRouterError(error, args);\n}');
    const client = readFileSync(join(dir, 'app', 'entry.client.jsx'), 'utf8');
    expect(client).toBe(`import { reportRouterError } from './ez-pixel.init.client'; // ez-pixel\n${readFileSync(join(defaults, 'entry.client.tsx'), 'utf8').replace('<HydratedRouter />', '<HydratedRouter onError={reportRouterError} /* ez-pixel */ />')}`);
    expect(readFileSync(join(dir, 'app', 'ez-pixel.init.client.js'), 'utf8')).toContain('projectKey: import.meta.env.VITE_EZ_PIXEL_PROJECT_KEY || fallbackProjectKey,');
    const record = JSON.parse(readFileSync(join(dir, '.ez-pixel', 'install.json'), 'utf8'));
    expect(record.files.map((file: { path: string }) => file.path)).toEqual(expect.arrayContaining(['app/entry.server.jsx', 'app/entry.client.jsx', 'app/ez-pixel.init.client.js', 'app/ez-pixel.init.server.mjs']));
  }, 300_000);

  it('doctor fails on the build made before install, with the fix; after a rebuild it is green and its probe arrives', async () => {
    const stale = await cli(['doctor', '--no-send']);
    expect(stale.exitCode, stale.stdout).not.toBe(0);
    expect(stale.stdout).toContain('build/server/index.js was built without app/ez-pixel.init.server.mjs');
    expect(stale.stdout).toContain('fix: rebuild, then restart: npm run build && npm start');
    expect(stale.stdout).toMatch(/✗ client-bundle +the built client chunks \(build\/client\) hold no @ez-pixel\/browser init/);
    const rebuilt = await build();
    expect(rebuilt.exitCode, String(rebuilt.all)).toBe(0);
    const doctor = await cli(['doctor']);
    expect(doctor.exitCode, doctor.stdout).toBe(0);
    expect(doctor.stdout).toMatch(/✓ build +build\/server\/index.js holds the init/);
    expect(doctor.stdout).toMatch(/✓ client-bundle +the built client chunks \(build\/client\) hold the @ez-pixel\/browser init/);
    expect(doctor.stdout).toMatch(/✓ source-maps +the built client chunks have source maps/);
    expect(doctor.stdout).toContain('React Router builds app/entry.server.jsx into its server build');
    const [probe] = await nextEvents(1);
    expect(probe?.message).toContain('doctor probe');
    expect(probe?.stack[0]).toMatchObject({ file: 'app/ez-pixel.init.server.mjs', in_app: true }); // build/server/index.js's init, mapped
    const chunks = (await readdir(join(dir, 'build', 'client'), { recursive: true })).filter((file) => file.endsWith('.js'));
    const texts = chunks.map((file) => readFileSync(join(dir, 'build', 'client', file), 'utf8'));
    expect(texts.filter((text) => /["'`]ez-pixel-node["'`]|@ez-pixel\/node|ezPixelDotenv/.test(text))).toEqual([]);
    // Hidden maps: beside the chunks for listen, and the page's scripts do not point to them.
    expect(texts.filter((text) => text.includes('sourceMappingURL'))).toEqual([]);
    expect(chunks.filter((file) => /entry\.client/.test(file) && existsSync(join(dir, 'build', 'client', `${file}.map`)))).toHaveLength(1);
  }, 300_000);

  it('react-router-serve: a failing loader is one Node event with {method, path} and no secrets; a 404 is none', async () => {
    const port = await freePort();
    app = npmStart(dir, { ...production, PORT: String(port), HOST: '127.0.0.1' });
    await until(() => (app?.output().includes(`:${port}`) ? true : undefined), 60_000, () => `react-router-serve:\n${app?.output()}`);
    base = `http://127.0.0.1:${port}`;
    expect((await fetch(base)).status).toBe(200);
    expect((await fetch(`${base}/favicon.ico`)).status).toBe(404); // React Router calls handleError for it too
    expect((await fetch(`${base}/invoices?token=secret`, { headers: { cookie: 'session=secret' } })).status).toBe(500);
    const [event] = await nextEvents(1);
    expect(event).toMatchObject({ message: 'react-router invoices loader failed', sdk: { name: 'ez-pixel-node' }, context: { request: { method: 'GET', path: '/invoices' } } });
    expect(event?.stack[0]).toMatchObject({ file: 'app/routes/invoices.jsx', line: 3, in_app: true });
    expect(JSON.stringify(event)).not.toContain('secret');
    await noMoreEvents();
  }, 120_000);

  it('Chromium: a render error and a click handler error in a route component are one browser event each; a loader failing on navigation is one Node event', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${base}/counter`);
      await page.locator('#render').click();
      const [render] = await nextEvents(1);
      expect(render).toMatchObject({ message: 'react-router counter render failed', type: 'Error', sdk: { name: 'ez-pixel-browser' } });
      expect(render?.stack[0]).toMatchObject({ file: 'app/routes/counter.jsx', line: 7, in_app: true });
      await noMoreEvents();
      await page.goto(`${base}/counter`);
      await page.locator('#click').click();
      const [click] = await nextEvents(1);
      expect(click).toMatchObject({ message: 'react-router counter click failed', sdk: { name: 'ez-pixel-browser' } });
      expect(click?.stack[0]).toMatchObject({ file: 'app/routes/counter.jsx', line: 11, in_app: true });
      await noMoreEvents();
      // The loader runs on the server (a .data request): handleError reports it, the page's onError does not again.
      await page.goto(base);
      await page.getByRole('link', { name: 'invoices' }).click();
      const [loader] = await nextEvents(1);
      expect(loader).toMatchObject({ message: 'react-router invoices loader failed', sdk: { name: 'ez-pixel-node' }, context: { request: { method: 'GET' } } });
      await noMoreEvents();
    } finally {
      await page.close();
    }
  }, 120_000);

  it('a re-run changes nothing; uninstall removes both packages and the entries it created: the tree is as before', async () => {
    await app?.stop();
    const status = await git(dir, ['status', '--porcelain']);
    const again = await cli(['install', '--yes', '--ingest-url', listen.url]);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stderr).toContain('Already set up');
    expect(await git(dir, ['status', '--porcelain'])).toBe(status);
    const uninstall = await cli(['uninstall', '--yes']);
    expect(uninstall.exitCode, uninstall.stderr).toBe(0);
    expect(uninstall.stdout + uninstall.stderr).toMatch(/npm uninstall --no-audit --no-fund @ez-pixel\/node\s+(│\s+)?@ez-pixel\/browser/);
    expect((await git(dir, ['status', '--porcelain'])).trim()).toBe('');
    for (const sdk of ['node', 'browser']) expect(existsSync(join(dir, 'node_modules', '@ez-pixel', sdk))).toBe(false);
    // What the builds made (build/, .react-router/, Vite's temp dir) and npm's empty @ez-pixel/ scope are not the project's files.
    const made = /^(build|\.react-router|node_modules\/\.vite-temp|node_modules\/@ez-pixel)\//;
    expect(treeDifferences(original, treeFingerprint(dir)).filter((path) => !made.test(path))).toEqual([]);
  }, 300_000);
});
