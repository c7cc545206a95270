// Vite apps end to end, on fixtures modelled on create-vite's react-ts and vanilla templates: the
// real npm installs vite from the registry, `install --yes` wires src/main.* against a real
// `ez-pixel listen`, the app's own `npm run build` (react-ts: install's hidden source maps, no
// step by hand; vanilla: `--sourcemap`) is served by its own
// `npm run preview` on 127.0.0.1 and clicked in headless Chromium; the errors, an unhandled
// rejection and an error thrown just before a navigation arrive at the listen with the ORIGINAL
// frames (src/App.tsx:9) after source maps. doctor builds the app itself: green, then FAIL with
// its fix when the bundler drops the init or the build sends another key. A re-run changes
// nothing, uninstall gives the tree back byte for byte (CRLF, BOM, no final newline), and a
// failing package manager leaves the project as it was. A Vue app (create-vue's shape) gets its
// createApp(App) passed through reportVueErrors (written beside the init): a click whose handler throws, which
// Vue catches, is one event mapped to src/App.vue, and doctor fails once the wrap is taken out.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../runtimes/browser/test/chromium/harness.js';
import { killServers, startCliServer, type CliServer } from './helpers/cli-server.js';
import { copyFixture, removeFixtureCopies } from './helpers/fixtures.js';
import { getJson } from './helpers/ingest.js';
import { freePort, startApp, until, type RunningApp } from './helpers/run-app.js';
import { git, quietEnv, runCli, startFakeRegistry, treeDifferences, treeFingerprint, type DoctorCheck } from './install-helpers.js';

interface StoredEvent {
  type: string;
  message: string;
  level: string;
  context: { page?: string };
  stack: { file: string; line: number; fn: string; in_app: boolean }[];
  code_context?: { file: string; error_line: number; lines: string[] };
}

let browser: Browser;
const databases = mkdtempSync(join(tmpdir(), 'ez-pixel-vite-listen-'));
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  killServers();
  rmSync(databases, { recursive: true, force: true });
  await removeFixtureCopies();
});

/** A fixture copy with its dependencies installed by the real npm and committed, and a real listen started in it (it reads the build's maps). */
async function setUp(fixture: string): Promise<{ dir: string; listen: CliServer; original: Map<string, string> }> {
  const dir = await copyFixture(fixture);
  const setup = await execa('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir, env: quietEnv, reject: false, all: true, timeout: 300_000 });
  expect(setup.exitCode, String(setup.all)).toBe(0);
  await git(dir, ['add', '--all']);
  await git(dir, ['commit', '--quiet', '--no-verify', '--message', 'npm install']);
  const listen = await startCliServer('listen', ['--database', join(databases, `${fixture}.db`), '--json'], {}, [], dir);
  return { dir, listen, original: treeFingerprint(dir) };
}

const cli = (dir: string, args: string[], env: Record<string, string> = {}) => runCli([...args, '--cwd', dir], { cwd: dir, env });

async function doctor(dir: string, args: string[] = []): Promise<{ exitCode: number; stdout: string; checks: Map<string, DoctorCheck> }> {
  const run = await cli(dir, ['doctor', '--json', ...args]);
  return { exitCode: run.exitCode, stdout: run.stdout, checks: new Map((JSON.parse(run.stdout).checks as DoctorCheck[]).map((check) => [check.id, check])) };
}

async function build(dir: string): Promise<void> {
  const run = await execa('npm', ['run', 'build'], { cwd: dir, env: quietEnv, reject: false, all: true, timeout: 180_000 });
  expect(run.exitCode, String(run.all)).toBe(0);
}

/** The app's own `npm run preview`, on a free loopback port. */
async function preview(dir: string): Promise<{ app: RunningApp; url: string }> {
  const port = await freePort();
  const app = startApp(dir, ['npm', 'run', 'preview', '--', '--host', '127.0.0.1', '--port', String(port), '--strictPort']);
  const url = `http://127.0.0.1:${port}`;
  await until(async () => ((await fetch(url).catch(() => null))?.ok ? true : undefined), 60_000, () => `vite preview:\n${app.output()}`);
  return { app, url };
}

async function eventsAt(listen: CliServer): Promise<StoredEvent[]> {
  return (await getJson(`${listen.origin}/events?limit=100`)).body.events as StoredEvent[];
}

async function eventOfType(listen: CliServer, type: string): Promise<StoredEvent> {
  return until(async () => (await eventsAt(listen)).find((event) => event.type === type), 20_000, () => `a ${type} event at the listen`);
}

/** A re-run changes nothing; uninstall leaves git clean and the tree as it was before install. */
async function rerunThenUninstall(dir: string, listen: CliServer, original: Map<string, string>): Promise<void> {
    const wired = treeFingerprint(dir);
    const again = await cli(dir, ['install', '--yes', '--ingest-url', listen.url]);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stderr).toContain('Already set up');
    expect(treeDifferences(wired, treeFingerprint(dir))).toEqual([]);
    const uninstall = await cli(dir, ['uninstall', '--yes']);
    expect(uninstall.exitCode, uninstall.stderr).toBe(0);
    expect((await git(dir, ['status', '--porcelain'])).trim()).toBe('');
    // The build's output and npm's empty @ez-pixel/ scope are not the project's files.
    const made = /^(dist|node_modules\/\.vite-temp|node_modules\/@ez-pixel)\//;
    expect(treeDifferences(original, treeFingerprint(dir)).filter((path) => !made.test(path))).toEqual([]);
}

/** The innermost in-app frame as `file:line`. */
const topFrame = (event: StoredEvent) => {
  const frame = event.stack.find((candidate) => candidate.in_app);
  return frame ? `${frame.file}:${frame.line}` : 'none';
};

describe("React + TypeScript (npm, create-vite's config: no source maps until install turns on 'hidden' ones)", () => {
  let dir = '';
  let listen: CliServer;
  let original = new Map<string, string>();

  beforeAll(async () => {
    ({ dir, listen, original } = await setUp('browser-vite-react-ts'));
  }, 600_000);

  it('a failing package manager (npm against a registry without the SDK) exits 4 and leaves every byte as it was', async () => {
    const registry = await startFakeRegistry('missing');
    try {
      const run = await cli(dir, ['install', '--yes', '--from-registry', '--ingest-url', listen.url], { npm_config_registry: registry.url });
      expect(run.exitCode, run.stderr).toBe(4);
      expect(run.stderr).toContain('command: npm install --no-audit --no-fund @ez-pixel/browser');
      expect(run.stderr).toMatch(/every file was restored/);
      rmSync(/full log: (\S+)/.exec(run.stderr)?.[1] ?? '', { force: true });
      expect(treeDifferences(original, treeFingerprint(dir))).toEqual([]);
    } finally {
      await registry.close();
    }
  }, 180_000);

  it("install wires src/main.tsx first, in its style, writes the VITE_ variables, and turns on build.sourcemap: 'hidden'", async () => {
    const install = await cli(dir, ['install', '--yes', '--ingest-url', listen.url]);
    expect(install.exitCode, install.stderr).toBe(0);
    expect(install.stderr).toContain('Found browser / vite, npm, entry src/main.tsx');
    expect(install.stderr).toContain('index.html loads src/main.tsx (<script type="module" src="/src/main.tsx">)');
    expect(install.stderr).toContain('npm run dev');
    expect(readFileSync(join(dir, 'src', 'main.tsx'), 'utf8').split('\n')[0]).toBe("import './ez-pixel.init' // ez-pixel");
    const init = readFileSync(join(dir, 'src', 'ez-pixel.init.ts'), 'utf8');
    expect(init).toContain('projectKey: import.meta.env.VITE_EZ_PIXEL_PROJECT_KEY || fallbackProjectKey,');
    expect(init).toContain(`const fallbackIngestUrl = '${listen.url}'`);
    const env = readFileSync(join(dir, '.env'), 'utf8');
    expect(env).toMatch(/^VITE_EZ_PIXEL_PROJECT_KEY='pk_live_[0-9a-f]{32}'\nVITE_EZ_PIXEL_INGEST_URL='http:\/\/127\.0\.0\.1:\d+\/ingest'\n$/);
    expect(readFileSync(join(dir, 'vite.config.ts'), 'utf8')).toContain("export default defineConfig({\n  build: { sourcemap: 'hidden' }, // ez-pixel\n  plugins: [react()],\n})");
    expect(install.stderr).toContain("vite.config.ts gets build.sourcemap 'hidden'");
  }, 180_000);

  it('the built page reports a click that throws, an unhandled rejection and an error thrown just before a navigation, at src/App.tsx', async () => {
    await build(dir);
    // Hidden maps: written beside the scripts for listen, and the served bundle does not point to them.
    const assets = readdirSync(join(dir, 'dist', 'assets'));
    const scripts = assets.filter((name) => name.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) {
      expect(readFileSync(join(dir, 'dist', 'assets', script), 'utf8')).not.toContain('sourceMappingURL');
      expect(assets).toContain(`${script}.map`);
    }
    const { app, url } = await preview(dir);
    const page = await browser.newPage();
    try {
      await page.goto(url);
      await page.click('#checkout');
      const thrown = await eventOfType(listen, 'TypeError');
      expect(thrown).toMatchObject({ message: "Cannot read properties of undefined (reading 'total')", level: 'error', context: { page: `${url}/` } });
      expect(topFrame(thrown)).toBe('src/App.tsx:9');
      expect(thrown.code_context).toMatchObject({ file: 'src/App.tsx', error_line: 9 });

      await page.click('#coupon');
      const rejected = await eventOfType(listen, 'Error');
      expect(rejected.message).toBe('coupon service unavailable');
      expect(topFrame(rejected)).toBe('src/App.tsx:13');

      // The link's own navigation follows the throw at once: the beacon on pagehide still delivers it.
      await Promise.all([page.waitForURL(`${url}/gone.html`), page.click('#leave')]);
      const left = await eventOfType(listen, 'RangeError');
      expect(left.message).toBe('left mid-checkout');
      expect(topFrame(left)).toBe('src/App.tsx:22');
    } finally {
      await page.close();
      await app.stop();
    }
  }, 180_000);

  it('doctor builds the app and passes, its probe reaching the listen; it fails, with the fix, when the bundler drops the init or the build sends another key', async () => {
    const green = await doctor(dir);
    expect(green.exitCode, green.stdout).toBe(0);
    expect(green.checks.get('entry-runs')?.message).toBe('index.html loads src/main.tsx');
    expect(green.checks.get('bundle')?.message).toMatch(new RegExp(`^vite build's bundle holds the SDK, the key pk_live_[0-9a-f]{4}… and ${listen.url}$`));
    expect(green.checks.get('source-maps')?.message).toBe('1 of 1 built scripts (Vite) have source maps');
    expect(green.checks.get('probe')?.status).toBe('pass');
    await until(async () => (await eventsAt(listen)).find((event) => event.message.includes('doctor probe')), 10_000, () => 'the probe event');

    const manifest = readFileSync(join(dir, 'package.json'), 'utf8');
    writeFileSync(join(dir, 'package.json'), manifest.replace('"private": true,', '"private": true,\n  "sideEffects": false,'));
    const dropped = await doctor(dir, ['--no-send']);
    expect(dropped.exitCode).toBe(1);
    expect(dropped.checks.get('bundle')).toMatchObject({ status: 'fail', message: expect.stringContaining("vite build's bundle holds no ez-pixel code: the build dropped src/ez-pixel.init.ts") });
    expect(dropped.checks.get('bundle')?.fix).toContain('list ./src/ez-pixel.init.ts in package.json "sideEffects"');
    writeFileSync(join(dir, 'package.json'), manifest);

    const otherKey = 'pk_live_0123456789abcdef0123456789abcdef';
    writeFileSync(join(dir, '.env.production'), `VITE_EZ_PIXEL_PROJECT_KEY=${otherKey}\n`);
    const wrongKey = await doctor(dir, ['--no-send']);
    expect(wrongKey.exitCode).toBe(1);
    expect(wrongKey.checks.get('bundle')).toMatchObject({ status: 'fail', message: expect.stringMatching(/^vite build's bundle does not hold the key pk_live_[0-9a-f]{32}: the page sends another one/) });
    rmSync(join(dir, '.env.production'));
  }, 300_000);

  it('a re-run changes nothing; uninstall gives the tree back as it was', async () => {
    await rerunThenUninstall(dir, listen, original);
  }, 180_000);
});

describe('vanilla JS (npm, vite build --sourcemap; CRLF, a BOM and no final newline in src/main.js)', () => {
  let dir = '';
  let listen: CliServer;
  let original = new Map<string, string>();

  beforeAll(async () => {
    ({ dir, listen, original } = await setUp('browser-vite-vanilla'));
  }, 600_000);

  it('installs into src/main.js in its line endings, reports the third click from src/counter.js, passes doctor, and uninstalls byte for byte', async () => {
    const install = await cli(dir, ['install', '--yes', '--ingest-url', listen.url]);
    expect(install.exitCode, install.stderr).toBe(0);
    expect(readFileSync(join(dir, 'src', 'main.js'), 'utf8').startsWith("\ufeffimport './ez-pixel.init.js' // ez-pixel\r\nimport { setupCounter }")).toBe(true);

    await build(dir);
    const { app, url } = await preview(dir);
    const page = await browser.newPage();
    try {
      await page.goto(url);
      for (let click = 0; click < 3; click += 1) await page.click('#counter');
      const overflow = await eventOfType(listen, 'TypeError');
      expect(overflow.message).toBe('counter overflow at 3');
      expect(topFrame(overflow)).toBe('src/counter.js:6');
    } finally {
      await page.close();
      await app.stop();
    }

    const green = await doctor(dir);
    expect(green.exitCode, green.stdout).toBe(0);
    expect(green.checks.get('entry-runs')?.message).toBe('index.html loads src/main.js');

    const uninstall = await cli(dir, ['uninstall', '--yes']);
    expect(uninstall.exitCode, uninstall.stderr).toBe(0);
    expect((await git(dir, ['status', '--porcelain'])).trim()).toBe('');
    expect(treeDifferences(original, treeFingerprint(dir)).filter((path) => !/^(dist|node_modules\/\.vite-temp|node_modules\/@ez-pixel)\//.test(path))).toEqual([]);
  }, 600_000);
});

describe("Vue 3 + TypeScript (create-vue's chained createApp(App).use(…).mount('#app'), a plugin that sets its own errorHandler, prettier, vue-tsc in the build)", () => {
  let dir = '';
  let listen: CliServer;
  let original = new Map<string, string>();
  const main = () => readFileSync(join(dir, 'src', 'main.ts'), 'utf8');

  beforeAll(async () => {
    ({ dir, listen, original } = await setUp('browser-vite-vue'));
  }, 600_000);

  it("install passes the app to reportVueErrors (src/ez-pixel.vue-errors.ts); a click whose handler throws in App.vue (Vue catches it) is one event mapped to src/App.vue, and the app's own errorHandler (set later by a plugin) still runs", async () => {
    const install = await cli(dir, ['install', '--yes', '--ingest-url', listen.url]);
    expect(install.exitCode, install.stderr).toBe(0);
    expect(install.stderr).not.toContain('Vue catches');
    // In the project's prettier style (no semicolons); the wrap is the only other byte added.
    expect(main()).toBe(
      "import './ez-pixel.init' // ez-pixel\nimport { createApp } from 'vue'\nimport App from './App.vue'\nimport { errorLogger } from './error-logger'\nimport { reportVueErrors } from './ez-pixel.vue-errors' // ez-pixel\n\nreportVueErrors(createApp(App)).use(errorLogger).mount('#app')\n",
    );
    expect(readFileSync(join(dir, 'src', 'ez-pixel.vue-errors.ts'), 'utf8')).toContain('export function reportVueErrors<T extends App>(app: T): T {');

    await build(dir); // vue-tsc --noEmit first: the typed init checks under strict and noUnused*
    const { app, url } = await preview(dir);
    const page = await browser.newPage();
    const logged: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') logged.push(message.text());
    });
    try {
      await page.goto(url);
      await page.click('#checkout');
      const thrown = await eventOfType(listen, 'RangeError');
      expect(thrown).toMatchObject({ message: 'cannot check out an empty cart', level: 'error', context: { page: `${url}/` } });
      expect(topFrame(thrown)).toBe('src/App.vue:7');
      // The app's own errorHandler, which its plugin set after createApp, still ran (it logs), chained behind ours.
      expect(logged.some((text) => text.includes('the app logged:') && text.includes('cannot check out an empty cart')), logged.join('\n')).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect((await eventsAt(listen)).filter((event) => event.type === 'RangeError')).toHaveLength(1);
    } finally {
      await page.close();
      await app.stop();
    }
  }, 300_000);

  it('doctor passes with the handler in the build; it fails, with the fix, once the wrap is taken out of src/main.ts', async () => {
    const green = await doctor(dir);
    expect(green.exitCode, green.stdout).toBe(0);
    expect(green.checks.get('vue-errors')?.message).toBe("src/main.ts passes its Vue app to reportVueErrors, and vite build's bundle holds the handler");

    const wired = main();
    writeFileSync(join(dir, 'src', 'main.ts'), wired.replace('reportVueErrors(createApp(App))', 'createApp(App)'));
    const red = await doctor(dir, ['--no-send']);
    expect(red.exitCode).toBe(1);
    expect(red.checks.get('vue-errors')).toMatchObject({
      status: 'fail',
      message: 'src/main.ts makes its Vue app without reportVueErrors: Vue only logs what its components throw, so those errors never reach ez-pixel',
      fix: expect.stringContaining('const app = reportVueErrors(createApp(App))'),
    });
    writeFileSync(join(dir, 'src', 'main.ts'), wired);
  }, 300_000);

  it('a re-run changes nothing; uninstall gives the tree back byte for byte', async () => {
    await rerunThenUninstall(dir, listen, original);
  }, 180_000);
});
