// Remix v2 (Vite plugin) is wired automatically, both sides in one install: one npm command adds
// @ez-pixel/node and @ez-pixel/browser; app/entry.server.tsx is created from the installed
// @remix-run/dev default with the init's import first and a handleError that hands errors to
// captureRouterError, and app/entry.client.tsx with the browser init imported and called first
// (<RemixBrowser> has no onError: a note says so), both listed in the template's "sideEffects". On one copy of node-remix (npm from the
// registry, remix vite:build with source maps, remix-serve on 127.0.0.1, a real `ez-pixel listen`
// in the project): doctor fails the build made before install, then passes; a failing loader is
// one Node event with {method, path} (a 404 none); in headless Chromium a click handler's throw is
// one browser event mapped to app/routes/counter.tsx; a re-run changes nothing; uninstall removes
// both packages and gives the tree back. A package manager that fails leaves both entries as they were.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../runtimes/browser/test/chromium/harness.js';
import { killServers, startCliServer, type CliServer } from './helpers/cli-server.js';
import { copyFixture, makeProject } from './helpers/fixtures.js';
import { freePort, npmStart, until, type RunningApp } from './helpers/run-app.js';
import { git, quietEnv, runCli, startFakeRegistry, treeDifferences, treeFingerprint } from './install-helpers.js';

type Frame = { file: string; line: number; in_app: boolean };
type ListenEvent = { message: string; type: string; sdk: { name: string }; stack: Frame[]; context?: Record<string, unknown> };

describe('Remix v2: both SDKs (npm, remix vite:build, remix-serve, Chromium)', () => {
  let dir = '';
  let original = new Map<string, string>();
  let listen: CliServer;
  let browser: Browser;
  let app: RunningApp | undefined;
  let base = '';
  const database = join(mkdtempSync(join(tmpdir(), 'ez-pixel-remix-')), 'events.db');
  const env = { ...quietEnv };
  const run = (command: string, args: string[]) => execa(command, args, { cwd: dir, env, reject: false, all: true, timeout: 300_000 });
  // What remix vite:build and remix-serve assume when it is unset (vitest sets it to test).
  const production = { ...env, NODE_ENV: 'production' };
  const build = () => execa('npm', ['run', 'build'], { cwd: dir, env: production, reject: false, all: true, timeout: 300_000 });
  const cli = (args: string[]) => runCli([...args, '--cwd', dir], { cwd: dir, env });
  /** The next `count` events listen prints (one JSON line each with --json). */
  const nextEvents = async (count: number): Promise<ListenEvent[]> => {
    const read: ListenEvent[] = [];
    while (read.length < count) read.push((JSON.parse(await listen.nextLine()) as { event: ListenEvent }).event);
    return read;
  };
  /** Nothing more arrives within 2 s: a duplicate would have by now. */
  const noMoreEvents = () => expect(listen.nextLine(2000)).rejects.toThrow(/no stdout line/);

  beforeAll(async () => {
    dir = await copyFixture('node-remix');
    const setup = await run('npm', ['install', '--no-audit', '--no-fund']);
    expect(setup.exitCode, String(setup.all)).toBe(0);
    await git(dir, ['add', '--all']);
    await git(dir, ['commit', '--quiet', '--no-verify', '--message', 'npm install']);
    original = treeFingerprint(dir);
    // Built before install, as an app already deployed is: doctor must say that build reports nothing.
    const built = await build();
    expect(built.exitCode, String(built.all)).toBe(0);
    listen = await startCliServer('listen', ['--database', database, '--json', '--source-maps', 'build/client,build'], {}, [], dir);
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
    expect(install.stderr).toContain('package.json depends on @remix-run/dev (Remix v2)');
    expect(install.stderr).toContain('npm install --no-audit --no-fund file:.ez-pixel/ez-pixel-node-0.2.0.tgz file:.ez-pixel/ez-pixel-browser-0.2.0.tgz');
    expect(install.stderr).toContain('npm run build && npm start');
    expect(install.stderr.replace(/[│\s]+/g, ' ')).toContain('<RemixBrowser> takes no onError');
    const defaults = join(dir, 'node_modules', '@remix-run', 'dev', 'dist', 'config', 'defaults');
    const server = readFileSync(join(dir, 'app', 'entry.server.tsx'), 'utf8');
    expect(server).toBe(
      `import './ez-pixel.init.server'; // ez-pixel\nimport { captureRouterError } from '@ez-pixel/node'; // ez-pixel\n\n${readFileSync(join(defaults, 'entry.server.node.tsx'), 'utf8')}\n` +
        '// ez-pixel: begin (error tracking; `ez-pixel uninstall` removes this block)\nexport function handleError(error: unknown, args: { request: Request }) {\n  captureRouterError(error, args);\n}\n// ez-pixel: end\n',
    );
    const client = readFileSync(join(dir, 'app', 'entry.client.tsx'), 'utf8');
    expect(client).toBe(`import './ez-pixel.init.client'; // ez-pixel\n${readFileSync(join(defaults, 'entry.client.tsx'), 'utf8')}`);
    // create-remix's "sideEffects": false would let Vite drop both imports made only to run the inits (the client one was, before it was listed).
    expect(install.stderr).toContain('package.json "sideEffects" now lists ./app/ez-pixel.init.server.ts and ./app/ez-pixel.init.client.ts');
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).sideEffects).toEqual(['./app/ez-pixel.init.server.ts', './app/ez-pixel.init.client.ts']);
    expect(readFileSync(join(dir, 'app', 'ez-pixel.init.client.ts'), 'utf8')).toContain('projectKey: import.meta.env.VITE_EZ_PIXEL_PROJECT_KEY || fallbackProjectKey,');
    const record = JSON.parse(readFileSync(join(dir, '.ez-pixel', 'install.json'), 'utf8'));
    expect(record.files.map((file: { path: string }) => file.path)).toEqual(expect.arrayContaining(['app/entry.server.tsx', 'app/entry.client.tsx', 'app/ez-pixel.init.client.ts', 'app/ez-pixel.init.server.ts']));
  }, 300_000);

  it('doctor fails on the build made before install, with the fix; after a rebuild it is green and its probe arrives', async () => {
    const stale = await cli(['doctor', '--no-send']);
    expect(stale.exitCode, stale.stdout).not.toBe(0);
    expect(stale.stdout).toContain('build/server/index.js was built without app/ez-pixel.init.server.ts');
    expect(stale.stdout).toContain('fix: rebuild, then restart: npm run build && npm start');
    expect(stale.stdout).toMatch(/✗ client-bundle +the built client chunks \(build\/client\) hold no @ez-pixel\/browser init/);
    const rebuilt = await build();
    expect(rebuilt.exitCode, String(rebuilt.all)).toBe(0);
    const doctor = await cli(['doctor']);
    expect(doctor.exitCode, doctor.stdout).toBe(0);
    expect(doctor.stdout).toMatch(/✓ build +build\/server\/index.js holds the init/);
    expect(doctor.stdout).toMatch(/✓ client-bundle +the built client chunks \(build\/client\) hold the @ez-pixel\/browser init/);
    expect(doctor.stdout).toMatch(/✓ source-maps +the built client chunks have source maps/);
    expect(doctor.stdout).toContain('Remix builds app/entry.server.tsx into its server build');
    const [probe] = await nextEvents(1);
    expect(probe?.message).toContain('doctor probe');
    const chunks = (await readdir(join(dir, 'build', 'client'), { recursive: true })).filter((file) => file.endsWith('.js'));
    const texts = chunks.map((file) => readFileSync(join(dir, 'build', 'client', file), 'utf8'));
    expect(texts.filter((text) => /["'`]ez-pixel-node["'`]|@ez-pixel\/node|ezPixelDotenv/.test(text))).toEqual([]);
  }, 300_000);

  it('remix-serve: a failing loader is one Node event with {method, path} and no secrets; a 404 is none', async () => {
    const port = await freePort();
    app = npmStart(dir, { ...production, PORT: String(port), HOST: '127.0.0.1' });
    await until(() => (app?.output().includes(`:${port}`) ? true : undefined), 60_000, () => `remix-serve:\n${app?.output()}`);
    base = `http://127.0.0.1:${port}`;
    expect((await fetch(base)).status).toBe(200);
    expect((await fetch(`${base}/no-such-page`)).status).toBe(404);
    expect((await fetch(`${base}/invoices?token=secret`, { headers: { cookie: 'session=secret' } })).status).toBe(500);
    const [event] = await nextEvents(1);
    expect(event).toMatchObject({ message: 'remix invoices loader failed', sdk: { name: 'ez-pixel-node' }, context: { request: { method: 'GET', path: '/invoices' } } });
    expect(event?.stack[0]).toMatchObject({ file: 'app/routes/invoices.tsx', line: 3, in_app: true });
    expect(JSON.stringify(event)).not.toContain('secret');
    await noMoreEvents();
  }, 120_000);

  it('Chromium: a click handler error is one browser event mapped to app/routes/counter.tsx; a loader failing on navigation is one Node event', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${base}/counter`);
      await page.locator('#click').click();
      const [click] = await nextEvents(1);
      expect(click).toMatchObject({ message: 'remix counter click failed', type: 'Error', sdk: { name: 'ez-pixel-browser' } });
      expect(click?.stack[0]).toMatchObject({ file: 'app/routes/counter.tsx', line: 5, in_app: true });
      await noMoreEvents();
      // The loader runs on the server (a single-fetch .data request): handleError reports it, the page nothing more.
      await page.goto(base);
      await page.getByRole('link', { name: 'invoices' }).click();
      const [loader] = await nextEvents(1);
      expect(loader).toMatchObject({ message: 'remix invoices loader failed', sdk: { name: 'ez-pixel-node' }, context: { request: { method: 'GET' } } });
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
    // What the builds made (build/, Vite's temp dir) and npm's empty @ez-pixel/ scope are not the project's files.
    const made = /^(build|node_modules\/\.vite-temp|node_modules\/\.vite|node_modules\/@ez-pixel)\//;
    expect(treeDifferences(original, treeFingerprint(dir)).filter((path) => !made.test(path))).toEqual([]);
  }, 300_000);

  it('a package manager that fails: exit 4, both edited entries and every other byte restored', async () => {
    const registry = await startFakeRegistry('missing');
    try {
      // The app's own entries, edited by whole lines; npm must fetch a dependency from a registry that answers 404.
      const server = 'export default function handleRequest(request: Request) {\n  return new Response("ok");\n}\n';
      const client = 'import { RemixBrowser } from "@remix-run/react";\nimport { hydrateRoot } from "react-dom/client";\n\nhydrateRoot(document, <RemixBrowser />);\n';
      const broken = await makeProject('remix-broken', {
        'package.json': `${JSON.stringify({ name: 'broken', private: true, type: 'module', dependencies: { '@remix-run/react': '2.17.5', 'ez-pixel-test-no-such-package': '1.0.0' }, devDependencies: { '@remix-run/dev': '2.17.5' } }, null, 2)}\n`,
        'tsconfig.json': '{ "compilerOptions": { "jsx": "react-jsx" } }\n',
        'vite.config.ts': 'import { vitePlugin as remix } from "@remix-run/dev";\nexport default { plugins: [remix()] };\n',
        'app/entry.server.tsx': server,
        'app/entry.client.tsx': client,
      });
      const before = treeFingerprint(broken);
      const install = await runCli(['install', '--yes', '--cwd', broken, '--ingest-url', listen.url], { cwd: broken, env: { ...env, npm_config_registry: registry.url } });
      expect(install.exitCode, install.stderr).toBe(4);
      expect(install.stderr).toContain('command: npm install --no-audit --no-fund file:.ez-pixel/ez-pixel-node-0.2.0.tgz file:.ez-pixel/ez-pixel-browser-0.2.0.tgz');
      expect(install.stderr).toMatch(/every file was restored/);
      rmSync(/full log: (\S+)/.exec(install.stderr)?.[1] ?? '', { force: true });
      expect(treeDifferences(before, treeFingerprint(broken))).toEqual([]);
      expect(readFileSync(join(broken, 'app', 'entry.client.tsx'), 'utf8')).toBe(client);
      expect(await git(broken, ['status', '--porcelain', '--ignored'])).toBe('');
    } finally {
      await registry.close();
    }
  }, 120_000);
});
