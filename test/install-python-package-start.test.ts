// Python apps that start as a package: `FLASK_APP=shopfront flask run` (the package's __init__.py
// re-exports the app) and `python -m stockctl` in a src layout whose __init__.py imports and calls
// before __main__.py. install wires the package's __init__.py,
// doctor's entry-runs sees the start command load it and load-order checks the "before any other
// code" claim against the enclosing package. Real pip, real processes, a real ingest on 127.0.0.1.
// No message mentions a lockfile: these pip projects have none.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFixture, makeProject } from './helpers/fixtures.js';
import { runCli, treeDifferences, treeFingerprint, useSuiteIngest } from './install-helpers.js';
import { freePort } from './helpers/run-app.js';

interface Check {
  id: string;
  status: 'pass' | 'warn' | 'fail';
  message: string;
  fix: string | null;
}

const ingest = useSuiteIngest();

async function doctorChecks(dir: string, env: Record<string, string> = {}): Promise<{ checks: Map<string, Check>; output: string }> {
  const run = await runCli(['doctor', '--json', '--no-send', '--cwd', dir], { cwd: dir, env });
  const checks = (JSON.parse(run.stdout) as { checks: Check[] }).checks;
  return { checks: new Map(checks.map((check) => [check.id, check])), output: run.stdout + run.stderr };
}

async function waitForEvents(seen: number, type: string, count = 1, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const events = ingest().accepted.slice(seen).map((accepted) => accepted.event).filter((event) => event.type === type);
    if (events.length >= count) return events;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no ${type} event reached the ingest`);
}

const inAppFiles = (event: { stack: { file: string; in_app: boolean }[] }): string[] =>
  event.stack.filter((frame) => frame.in_app).map((frame) => frame.file);


/** Project files, the virtualenv and bytecode aside. */
const projectDifferences = (before: Map<string, string>, after: Map<string, string>): string[] =>
  treeDifferences(before, after).filter((path) => !path.startsWith('.venv/') && !path.includes('__pycache__') && !path.includes('.egg-info'));

async function venvWithProject(dir: string): Promise<void> {
  await execa('python3', ['-m', 'venv', '.venv'], { cwd: dir });
  await execa(join(dir, '.venv/bin/python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-e', '.'], { cwd: dir, timeout: 240_000 });
}

describe('py-flask-package-pip: FLASK_APP=shopfront flask run, the app re-exported by shopfront/__init__.py', () => {
  let dir: string;
  let original: Map<string, string>;
  beforeAll(async () => {
    dir = await copyFixture('py-flask-package-pip');
    await venvWithProject(dir);
    original = treeFingerprint(dir);
  });

  it("wires the package's __init__.py first, and says nothing of a lockfile", async () => {
    const run = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest().url], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(readFileSync(join(dir, 'shopfront/__init__.py'), 'utf8')).toBe(
      'from . import ez_pixel_init  # ez-pixel  # isort: skip  # noqa: F401\nfrom .views import app\n',
    );
    expect(run.stderr).toContain('2. FLASK_APP=shopfront flask run (or however you start the app)');
    expect(run.stdout + run.stderr).not.toMatch(/lockfile/i);
  });

  it('doctor: FLASK_APP in the README loads the entry, which loads the init before any other code', async () => {
    const { checks, output } = await doctorChecks(dir);
    expect(checks.get('entry-runs')).toMatchObject({ status: 'pass', message: 'shopfront/__init__.py is what `FLASK_APP=shopfront flask run` (README.md) loads' });
    expect(checks.get('load-order')).toMatchObject({ status: 'pass', message: 'shopfront/__init__.py loads ez_pixel_init before any other code' });
    expect(output).not.toMatch(/lockfile/i);
  });

  it('the started app reports one event for a failing request, with its own frame', async () => {
    const port = await freePort();
    const seen = ingest().accepted.length;
    const app = execa(join(dir, '.venv/bin/flask'), ['run', '--port', String(port)], {
      cwd: dir, reject: false, all: true, env: { FLASK_APP: 'shopfront' }, timeout: 60_000,
    });
    try {
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && !(await fetch(`http://127.0.0.1:${port}/`).then((r) => r.ok, () => false))) await new Promise((r) => setTimeout(r, 100));
      expect((await fetch(`http://127.0.0.1:${port}/boom`)).status).toBe(500);
      const [event] = await waitForEvents(seen, 'KeyError');
      expect(inAppFiles(event!)[0]).toBe('shopfront/basket.py');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(ingest().accepted.slice(seen).filter((accepted) => accepted.event.type === 'KeyError')).toHaveLength(1);
    } finally {
      app.kill('SIGTERM');
      await app;
    }
  });

  it('doctor fails load-order when the init import is moved below the re-export', async () => {
    const path = join(dir, 'shopfront/__init__.py');
    const wired = readFileSync(path, 'utf8');
    writeFileSync(path, wired.split('\n').reverse().filter(Boolean).join('\n') + '\n');
    try {
      const { checks } = await doctorChecks(dir);
      expect(checks.get('load-order')).toMatchObject({ status: 'fail', message: 'shopfront/__init__.py runs line 1: from .views import app before loading ez_pixel_init' });
    } finally {
      writeFileSync(path, wired);
    }
  });

  it('uninstall gives back every byte, and the app still starts', async () => {
    const run = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(projectDifferences(original, treeFingerprint(dir))).toEqual([]);
    const imported = await execa(join(dir, '.venv/bin/python'), ['-c', 'import shopfront; print(shopfront.app.name)'], { cwd: dir, reject: false });
    expect(imported.stdout, String(imported.stderr)).toBe('shopfront.views');
  });
});

describe('py-src-cli-main: python -m stockctl, whose __init__.py imports and calls before __main__.py', () => {
  let dir: string;
  let original: Map<string, string>;
  beforeAll(async () => {
    dir = await copyFixture('py-src-cli-main');
    await venvWithProject(dir);
    original = treeFingerprint(dir);
  });

  it('wires src/stockctl/__init__.py, the code that really runs first, not __main__.py', async () => {
    const run = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest().url], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('src/stockctl/__init__.py runs before src/stockctl/__main__.py (line 2: from stockctl.settings import load_settings): the init goes there');
    expect(readFileSync(join(dir, 'src/stockctl/__init__.py'), 'utf8')).toBe(
      '"""stockctl: the package loads its settings when imported."""\nfrom . import ez_pixel_init  # ez-pixel  # isort: skip  # noqa: F401\nfrom stockctl.settings import load_settings\n\nSETTINGS = load_settings()\n',
    );
    expect(readFileSync(join(dir, 'src/stockctl/__main__.py'), 'utf8')).not.toContain('ez-pixel');
    expect(run.stdout + run.stderr).not.toMatch(/lockfile/i);
  });

  it('python -m stockctl reports its crash, and so does code that imports the package', async () => {
    for (const argv of [['.venv/bin/python', '-m', 'stockctl', '--crash'], ['.venv/bin/python', '-c', 'import stockctl.cli; stockctl.cli.main()', '--crash']]) {
      const seen = ingest().accepted.length;
      const crash = await execa(join(dir, argv[0]!), argv.slice(1), { cwd: dir, reject: false, timeout: 30_000 });
      expect(crash.exitCode, argv.join(' ')).toBe(1);
      const [event] = await waitForEvents(seen, 'ValueError');
      expect(inAppFiles(event!)[0], argv.join(' ')).toBe('src/stockctl/counting.py');
    }
  });

  it('doctor: python -m stockctl loads the entry, and the init is first', async () => {
    const { checks } = await doctorChecks(dir);
    expect(checks.get('entry-runs')).toMatchObject({ status: 'pass', message: 'src/stockctl/__init__.py is what `python -m stockctl` (README.md) loads' });
    expect(checks.get('load-order')?.status).toBe('pass');
  });

  it("with --entry on the CLI module, doctor does not claim 'before any other code': the package's __init__ runs first", async () => {
    expect((await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir })).exitCode).toBe(0);
    const run = await runCli(['install', '--yes', '--cwd', dir, '--entry', 'src/stockctl/cli.py', '--ingest-url', ingest().url], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    const { checks } = await doctorChecks(dir);
    expect(checks.get('load-order')).toMatchObject({
      status: 'warn',
      message: 'src/stockctl/cli.py loads ez_pixel_init first, but src/stockctl/__init__.py runs before it (line 2: from stockctl.settings import load_settings)',
      fix: 'if the package only runs as this program (not a library other apps import), wire its __init__: npx ez-pixel uninstall && npx ez-pixel install --entry src/stockctl/__init__.py',
    });
    expect(checks.get('entry-runs')?.status).toBe('warn');
  });

  it('uninstall gives back every byte, and the CLI still runs', async () => {
    const run = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(projectDifferences(original, treeFingerprint(dir))).toEqual([]);
    const cli = await execa(join(dir, '.venv/bin/python'), ['-m', 'stockctl'], { cwd: dir, reject: false });
    expect(cli.stdout, String(cli.stderr)).toBe('12');
  });
});

describe('a FastAPI app in a package folder, started from inside it (cd hello_pkg && uvicorn main:app)', () => {
  it('is the detected entry, and entry-runs sees the README start it', async () => {
    const dir = await makeProject('pkg-folder-api', {
      'setup.cfg': '[metadata]\nname = hello_pkg\n\n[options]\npackages = find:\ninstall_requires =\n    fastapi\n',
      'hello_pkg/__init__.py': '',
      'hello_pkg/main.py': 'from fastapi import FastAPI\n\napp = FastAPI()\n',
      'README.md': '```sh\ncd hello_pkg/\nuvicorn main:app --reload\n```\n',
    });
    const { checks } = await doctorChecks(dir);
    expect(checks.get('project')?.message).toBe('python · fastapi · pip · entry hello_pkg/main.py');
    expect(checks.get('entry-runs')).toMatchObject({ status: 'pass', message: 'hello_pkg/main.py is what `uvicorn main:app --reload` (README.md) loads' });
  });
});

describe("a library's console script (found on frostming/marko)", () => {
  it("is wired at the script's module, not at the package __init__.py every importing app would run", async () => {
    const dir = await makeProject('lib-with-cli', {
      'pyproject.toml': '[project]\nname = "mdlib"\nversion = "1.0"\n\n[project.scripts]\nmdlib = "mdlib.cli:main"\n',
      'mdlib/__init__.py': 'from .parser import parse\n',
      'mdlib/parser.py': 'def parse(text):\n    return text.split()\n',
      'mdlib/cli.py': 'import sys\n\nfrom mdlib import parse\n\n\ndef main():\n    print(parse(sys.argv[1]))\n',
    });
    const { checks } = await doctorChecks(dir);
    expect(checks.get('project')?.message).toContain('entry mdlib/cli.py');
    expect(checks.get('load-order')?.status).toBe('fail');
  });
});

describe('entry-runs reads how a Flask app is started', () => {
  const portal = {
    'requirements.txt': 'flask>=3.0\n',
    'portal/__init__.py': 'from flask import Flask\n\n\ndef create_app():\n    return Flask(__name__)\n',
  };
  const cases: Array<{ name: string; files: Record<string, string>; env?: Record<string, string>; status: Check['status']; says: string }> = [
    { name: '.flaskenv', files: { ...portal, '.flaskenv': 'FLASK_APP=portal\nFLASK_DEBUG=1\n' }, status: 'pass', says: '`flask --app portal run` (.flaskenv)' },
    { name: 'flask --app with a factory call', files: { ...portal, Procfile: 'web: flask --app "portal:create_app()" run --host 0.0.0.0\n' }, status: 'pass', says: '`flask --app "portal:create_app()" run --host 0.0.0.0` (Procfile)' },
    { name: 'export FLASK_APP in the README', files: { ...portal, 'README.md': '```\nexport FLASK_APP=portal.__init__\nflask run\n```\n' }, status: 'pass', says: '(README.md)' },
    { name: 'gunicorn naming a module without its variable', files: { ...portal, 'portal/wsgi.py': 'from portal import create_app\n\napplication = create_app()\n', Procfile: 'web: gunicorn --config gunicorn.conf.py portal.wsgi\n' }, status: 'pass', says: '`gunicorn --config gunicorn.conf.py portal.wsgi` (Procfile)' },
    { name: 'FLASK_APP from the environment', files: portal, env: { FLASK_APP: 'portal' }, status: 'pass', says: '`FLASK_APP=portal flask run` (the environment)' },
    { name: 'nothing says how it starts', files: portal, status: 'warn', says: 'no way the project starts' },
    { name: 'gunicorn serves another module', files: { ...portal, 'other.py': 'app = None\n', Procfile: 'web: gunicorn other:app\n' }, status: 'warn', says: 'loads portal/__init__.py' },
  ];
  it.each(cases)('$name', async ({ files, env, status, says }) => {
    const dir = await makeProject('portal-app', files);
    const { checks } = await doctorChecks(dir, { FLASK_APP: '', ...env });
    expect(checks.get('project')?.message).toContain('entry portal/__init__.py');
    expect(checks.get('entry-runs')?.status).toBe(status);
    expect(checks.get('entry-runs')?.message).toContain(says);
  });
});
