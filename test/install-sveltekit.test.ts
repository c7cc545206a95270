// SvelteKit end to end, on node-sveltekit (the `npx sv create` minimal TypeScript template with
// adapter-node), one npm install and one fixture copy for the whole suite: install --yes wires
// hooks.server (the Node SDK) and hooks.client (the browser SDK) in one transaction, `npm run check`
// (svelte-check) still passes; doctor fails a build made before install, then, rebuilt, passes with
// the probe coming through build/index.js; `node build` on 127.0.0.1 reports a throwing load
// function once with its route, and a button that throws in headless Chromium once, at
// src/routes/+page.svelte through the build's source maps, both at a real `ez-pixel listen`; a
// re-run changes nothing and uninstall gives the tree back with both packages gone.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { execa } from 'execa';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../runtimes/browser/test/chromium/harness.js';
import { killServers, startCliServer, type CliServer } from './helpers/cli-server.js';
import { removeFixtureCopies } from './helpers/fixtures.js';
import { freePort, startApp, until } from './helpers/run-app.js';
import { expectRerunThenUninstall, installedFixtureBuiltBeforeInstall, quietEnv, runCli } from './install-helpers.js';

type WireEvent = { type: string; message: string; context?: Record<string, unknown>; stack: { file: string; line: number; in_app: boolean }[]; code_context: { file: string } | null; sdk: { name: string } };

describe('SvelteKit (npm, vite build, node build, Chromium)', () => {
  let dir = '';
  let original = new Map<string, string>();
  let listen: CliServer;
  let database = '';
  const events: WireEvent[] = [];
  const env = { ...quietEnv };
  const run = (command: string, args: string[]) => execa(command, args, { cwd: dir, env, reject: false, all: true, timeout: 300_000 });
  const cli = (args: string[]) => runCli([...args, '--cwd', dir], { cwd: dir, env });
  /** Waits for the `count`th event after `seen`, then long enough for a duplicate to arrive too. */
  const eventsAfter = async (seen: number, count: number, what: () => string) => {
    await until(() => (events.length - seen >= count ? true : undefined), 30_000, what);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    return events.slice(seen);
  };

  beforeAll(async () => {
    ({ dir, original } = await installedFixtureBuiltBeforeInstall('node-sveltekit'));
    // listen runs in the project, as a user runs it, so it finds the build's source maps.
    database = join(mkdtempSync(join(tmpdir(), 'ez-pixel-sveltekit-listen-')), 'events.db');
    listen = await startCliServer('listen', ['--database', database, '--json'], {}, [], dir);
    createInterface({ input: listen.child.stdout! }).on('line', (line) => events.push((JSON.parse(line) as { event: WireEvent }).event));
  }, 600_000);

  afterAll(async () => {
    killServers();
    rmSync(join(database, '..'), { recursive: true, force: true });
    await removeFixtureCopies();
  });

  it('install wires hooks.server and hooks.client in one transaction, and npm run check still passes', async () => {
    const install = await cli(['install', '--yes', '--ingest-url', listen.url]);
    expect(install.exitCode, install.stderr).toBe(0);
    expect(install.stderr).toContain('npm run build && node build');
    expect(install.stderr).toMatch(/ran +npm install --no-audit --no-fund/);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['@ez-pixel/browser', '@ez-pixel/node']);
    expect(readFileSync(join(dir, 'src', 'hooks.server.ts'), 'utf8')).toContain('captureSvelteKitError(input)');
    expect(readFileSync(join(dir, 'src', 'ez-pixel.init.server.ts'), 'utf8')).toContain("import { env } from '$env/dynamic/private';");
    expect(readFileSync(join(dir, 'src', 'hooks.client.ts'), 'utf8')).toContain('reportSvelteKitClientError(input)');
    expect(readFileSync(join(dir, 'src', 'ez-pixel.client.ts'), 'utf8')).toContain("import { env } from '$env/dynamic/public';");
    const check = await run('npm', ['run', 'check']);
    expect(check.exitCode, String(check.all)).toBe(0);
  }, 300_000);

  it('doctor fails the build made before install, with the fix; rebuilt, every check passes and the probe comes through build/index.js', async () => {
    // Outside a build the probe runs the init alone, node:process standing in for $env/dynamic/private.
    const stale = await cli(['doctor']);
    expect(stale.exitCode, stale.stdout).toBe(1);
    expect(stale.stdout).toMatch(/✓ probe +a test event/);
    expect(stale.stdout).toMatch(/✗ client-bundle +the built client chunks \(\.svelte-kit\/output\/client\) hold no @ez-pixel\/browser init/);
    expect(stale.stdout).toContain('build/ was built before src/hooks.server.ts loaded the init');
    expect(stale.stdout).toContain('fix: rebuild, then restart: npm run build && node build');
    const build = await run('npm', ['run', 'build']);
    expect(build.exitCode, String(build.all)).toBe(0);
    const seen = events.length;
    const doctor = await cli(['doctor']);
    expect(doctor.exitCode, doctor.stdout).toBe(0);
    expect(doctor.stdout).toContain('SvelteKit loads src/hooks.server.ts itself');
    expect(doctor.stdout).toContain("build/ (adapter-node's server) holds src/hooks.server.ts and its init");
    expect(doctor.stdout).toMatch(/✓ client-sdk +@ez-pixel\/browser 0\.\d+\.\d+ is declared and installed/);
    expect(doctor.stdout).toMatch(/✓ client-bundle +the built client chunks \(\.svelte-kit\/output\/client\) hold the @ez-pixel\/browser init/);
    expect(doctor.stdout).toMatch(/✓ source-maps +the built client chunks have source maps/);
    const [probe] = await eventsAfter(seen, 1, () => `the probe; doctor said:\n${doctor.stdout}`);
    expect(probe?.message).toContain('doctor probe');
    // Sent by the init as the built server loaded it: its frames are the server build's hooks (mapped through adapter-node's maps).
    expect(probe?.stack.map((frame) => frame.file).join(' ')).toMatch(/\.svelte-kit\/output\/server\/entries\/hooks\.server\.js/);
    for (const file of readdirSync(join(dir, 'build', 'client'), { recursive: true }).map(String).filter((name) => name.endsWith('.js'))) {
      const chunk = readFileSync(join(dir, 'build', 'client', file), 'utf8');
      expect(chunk, file).not.toContain('@ez-pixel/node');
      expect(chunk, file).not.toContain('"ez-pixel-node"');
    }
  }, 300_000);

  it('node build: a throwing load function is one Node event with its route; a throwing click in Chromium is one browser event at src/routes/+page.svelte', async () => {
    const port = await freePort();
    const server = startApp(dir, ['node', 'build'], { HOST: '127.0.0.1', PORT: String(port) });
    let browser: Browser | undefined;
    try {
      await until(() => (server.output().includes(`127.0.0.1:${port}`) ? true : undefined), 30_000, () => `node build:\n${server.output()}`);
      const base = `http://127.0.0.1:${port}`;
      let seen = events.length;
      expect((await fetch(`${base}/nowhere`)).status).toBe(404);
      expect((await fetch(`${base}/reports?token=secret`, { headers: { cookie: 'session=secret' } })).status).toBe(500);
      const [failed, ...more] = await eventsAfter(seen, 1, () => `the load function's event; the server said:\n${server.output()}`);
      expect(more).toEqual([]);
      expect([failed?.type, failed?.message, failed?.sdk.name]).toEqual(['TypeError', 'sveltekit report loader failed', 'ez-pixel-node']);
      expect(failed?.context).toEqual({ request: { method: 'GET', path: '/reports' }, sveltekit: { route: '/reports' } });
      expect(failed?.stack[0]).toMatchObject({ file: 'src/routes/reports/+page.server.ts', line: 4, in_app: true });
      expect(JSON.stringify(failed?.context)).not.toContain('secret');

      browser = await launchChromium();
      const page = await browser.newPage();
      const thrown: string[] = [];
      page.on('pageerror', (error) => thrown.push(error.message));
      await page.goto(base);
      await page.waitForFunction(() => document.querySelector('#recalculate') !== null);
      seen = events.length;
      await page.click('#recalculate');
      const [clicked, ...again] = await eventsAfter(seen, 1, () => `the click's event; the page threw: ${thrown.join(' | ')}`);
      expect(again).toEqual([]);
      expect(thrown).toEqual(['sveltekit invoice has no lines']); // the page still sees its own error
      expect([clicked?.type, clicked?.message, clicked?.sdk.name]).toEqual(['RangeError', 'sveltekit invoice has no lines', 'ez-pixel-browser']);
      expect(clicked?.stack[0]).toMatchObject({ file: 'src/routes/+page.svelte', line: 6, in_app: true });
      expect(clicked?.code_context?.file).toBe('src/routes/+page.svelte');
    } finally {
      await browser?.close();
      await server.stop();
    }
  }, 120_000);

  it('a re-run changes nothing; uninstall removes both SDKs and every file and line: the tree is as before', async () => {
    // What the builds made (build/, .svelte-kit/, Vite's caches), doctor's probe folder and npm's empty @ez-pixel/ scope are not the project's files.
    const made = /^(build|\.svelte-kit|node_modules\/(\.vite-temp|\.vite|\.cache|@ez-pixel))\//;
    await expectRerunThenUninstall(dir, original, listen.url, made);
  }, 300_000);
});
