// End to end with every package manager's fixture: `install --yes` with the real manager, the
// fixture's crash path (a failing request for web apps) must reach a real ingest on 127.0.0.1
// with an in-app frame from the fixture's own file, and `uninstall --yes` must leave every
// tracked file byte-identical (lockfiles aside) with nothing install created left behind.
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixture, removeFixtureCopies } from './helpers/fixtures.js';
import { startTestIngest, type TestIngest } from './helpers/ingest.js';
import { git, repoRoot, runCli } from './install-helpers.js';
import { freePort } from './helpers/run-app.js';

interface Case {
  fixture: string;
  /** The manager's name in the "Ran …" line. */
  ran: RegExp;
  /** Where the app runs, relative to the fixture copy. */
  appDir?: string;
  /** argv of the crash path; `{port}` is replaced by a free port for web apps. */
  crash: string[];
  web?: 'prints-port' | 'given-port';
  inApp: RegExp;
  /** Extra PATH entries (a `yarn` that is berry, as corepack would provide). */
  path?: () => string;
  /** Extra environment for the CLI and the app. */
  env?: () => Record<string, string>;
  skip?: () => Promise<string | null>;
}

const lockfiles = /(^|\/)(package-lock\.json|pnpm-lock\.yaml|yarn\.lock|bun\.lockb?|uv\.lock|poetry\.lock|pdm\.lock|Pipfile\.lock)$/;

let berryBin = '';
let poetryVenvs = '';
/** Poetry's own default: its virtualenvs live in its cache, here a temp dir rather than the home directory. */
function poetryCache(): Record<string, string> {
  if (!poetryVenvs) poetryVenvs = mkdtempSync(join(tmpdir(), 'ez-pixel-poetry-venvs-'));
  return { POETRY_VIRTUALENVS_PATH: poetryVenvs };
}
function berryOnPath(): string {
  if (!berryBin) {
    berryBin = mkdtempSync(join(tmpdir(), 'ez-pixel-berry-'));
    symlinkSync(join(repoRoot, '.tools', 'bin', 'yarn-berry'), join(berryBin, 'yarn'));
  }
  return berryBin;
}

/** Poetry resolves through PyPI's per-version JSON API; some networks only carry the simple index. */
async function pypiJsonApiMissing(): Promise<string | null> {
  const json = async (url: string): Promise<{ info?: { version?: string } } | null> =>
    fetch(url, { signal: AbortSignal.timeout(10_000) }).then(async (response) => (response.ok ? JSON.parse((await response.text()) || 'null') : null), () => null);
  const latest = (await json('https://pypi.org/pypi/fastapi/json'))?.info?.version;
  const release = latest ? await json(`https://pypi.org/pypi/fastapi/${latest}/json`) : null;
  return release ? null : "PyPI's per-version JSON API is not reachable from this machine, and poetry resolves through it";
}

const cases: Case[] = [
  { fixture: 'node-esm-pnpm', ran: /Ran pnpm add file:/, crash: ['node', 'src/app.js'], inApp: /^src\/inventory\.js$/ },
  { fixture: 'node-express-yarn', ran: /Ran yarn add --no-progress file:/, crash: ['node', 'server.js'], web: 'prints-port', inApp: /^(server\.js|routes\/.*)$/ },
  { fixture: 'node-express-berry', ran: /Ran yarn add @ez-pixel\/node@file:/, crash: ['node', 'server.mjs'], web: 'prints-port', inApp: /^shipments\.mjs$/, path: berryOnPath },
  { fixture: 'node-bun', ran: /Ran bun add file:/, crash: ['node', 'index.js'], inApp: /^schedule\.js$/ },
  { fixture: 'pnpm-workspace', ran: /Ran pnpm add file:/, appDir: 'packages/api', crash: ['node', 'server.js'], web: 'prints-port', inApp: /^quote\.js$/ },
  { fixture: 'py-pdm', ran: /Ran pdm add ez-pixel==0\.2\.0/, crash: ['.venv/bin/python', 'main.py'], inApp: /^units\.py$/ },
  {
    fixture: 'py-django-pipenv', ran: /Ran pipenv install \.\//,
    crash: ['.venv/bin/python', 'manage.py', 'runserver', '127.0.0.1:{port}', '--noreload'], web: 'given-port', inApp: /^mysite\/views\.py$/,
  },
  { fixture: 'py-hatch', ran: /modified pyproject\.toml/, crash: ['hatch', 'run', 'python', '-m', 'hatch_app'], inApp: /^src\/hatch_app\/tally\.py$/ },
  // Poetry with no registry dependency resolves offline, so it runs here whatever PyPI serves.
  { fixture: 'py-poetry-script', ran: /Ran poetry add \.\//, crash: ['poetry', 'run', 'python', 'main.py'], inApp: /^(main|thermometer)\.py$/, env: poetryCache },
  {
    fixture: 'py-fastapi-poetry', ran: /Ran poetry add \.\//,
    crash: ['poetry', 'run', 'uvicorn', 'app.main:app', '--host', '127.0.0.1', '--port', '{port}'], web: 'given-port', inApp: /^app\/.*\.py$/,
    env: poetryCache, skip: pypiJsonApiMissing,
  },
];

let ingest: TestIngest;
beforeAll(async () => {
  ingest = await startTestIngest();
});
afterAll(async () => {
  await ingest.dispose();
  await removeFixtureCopies();
  if (berryBin) rmSync(berryBin, { recursive: true, force: true });
  if (poetryVenvs) rmSync(poetryVenvs, { recursive: true, force: true });
});


async function until<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs the crash path; returns the in-app frame files of the event that arrived. */
async function crash(test: Case, dir: string, env: Record<string, string>): Promise<string[]> {
  const seen = ingest.accepted.length;
  const cwd = join(dir, test.appDir ?? '.');
  const port = test.web === 'given-port' ? String(await freePort()) : '0';
  const argv = test.crash.map((arg) => arg.replace('{port}', port));
  const app = execa(argv[0] as string, argv.slice(1), {
    cwd, reject: false, all: true, timeout: 120_000,
    env: { ...env, FIXTURE_CRASH: test.web ? '0' : '1', PORT: port },
  });
  let output = '';
  app.all?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    if (test.web) {
      const appPort = test.web === 'prints-port'
        ? await until(() => /listening on (\d+)/.exec(output)?.[1], 60_000, `the app to listen:\n${output}`)
        : port;
      await until(async () => ((await fetch(`http://127.0.0.1:${appPort}/`).then((r) => r.ok, () => false)) ? true : undefined), 60_000, `the app to answer:\n${output}`);
      const response = await fetch(`http://127.0.0.1:${appPort}/boom`).catch(() => null);
      if (response) expect(response.status).toBe(500);
    }
    const event = await until(() => ingest.accepted.slice(seen)[0]?.event, 30_000, `an event at the ingest; the app said:\n${output}`);
    return event.stack.filter((frame) => frame.in_app).map((frame) => frame.file);
  } finally {
    app.kill('SIGTERM');
    await app;
  }
}

describe.each(cases)('$fixture', (test) => {
  it('install → crash reaches the ingest → uninstall leaves no trace', async (context) => {
    const reason = test.skip ? await test.skip() : null;
    if (reason) return context.skip(reason);
    const dir = await copyFixture(test.fixture);
    const env: Record<string, string> = { ...(test.path ? { PATH: `${test.path()}:${process.env.PATH ?? ''}` } : {}), ...test.env?.() };

    const install = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest.url], { cwd: dir, env });
    expect(install.exitCode, install.stderr).toBe(0);
    expect(install.stderr).toMatch(test.ran);

    const frames = await crash(test, dir, env);
    expect(frames.some((file) => test.inApp.test(file)), `in-app frames: ${frames.join(', ')}`).toBe(true);

    const uninstall = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir, env });
    expect(uninstall.exitCode, uninstall.stderr).toBe(0);
    const changed = (await git(dir, ['diff', '--name-only'])).split('\n').filter((path) => path && !lockfiles.test(path));
    expect(changed).toEqual([]);
    const left = (await git(dir, ['status', '--porcelain', '--untracked-files=all'])).split('\n').filter((line) => line && !line.includes('__pycache__') && !lockfiles.test(line.slice(3)));
    expect(left).toEqual([]);
  });
});
