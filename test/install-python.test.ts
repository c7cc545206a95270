// End to end on real Python fixtures: pip into the project's virtualenv, uv, and the PEP 668
// refusal. Each wired app really crashes (a script, or GET /boom on Flask) and the event must
// reach a real ingest on 127.0.0.1 with an in-app frame from the fixture's own file.
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { copyFixture, makeProject } from './helpers/fixtures.js';
import { git, runCli, treeDifferences, treeFingerprint, useSuiteIngest } from './install-helpers.js';

const ingest = useSuiteIngest();

async function waitForEvent(type: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = ingest().accepted.find((accepted) => accepted.event.type === type);
    if (found) return found.event;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no ${type} event reached the ingest`);
}

const inAppFiles = (event: { stack: { file: string; in_app: boolean }[] }): string[] =>
  event.stack.filter((frame) => frame.in_app).map((frame) => frame.file);

describe('pip into the project virtualenv (py-script-pip)', () => {
  it('installs, the crash arrives, uninstall gives back every byte', async () => {
    const dir = await copyFixture('py-script-pip');
    await execa('python3', ['-m', 'venv', '.venv'], { cwd: dir });
    const original = treeFingerprint(dir);
    const run = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest().url], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(readFileSync(join(dir, 'requirements.txt'), 'utf8')).toMatch(/\n\.\/\.ez-pixel\/ez_pixel-0\.2\.0-py3-none-any\.whl\n$/);

    const crash = await execa(join(dir, '.venv', 'bin', 'python'), ['main.py', '--crash'], { cwd: dir, reject: false, timeout: 30_000 });
    expect(crash.exitCode).not.toBe(0);
    const event = await waitForEvent('ZeroDivisionError');
    expect(inAppFiles(event)).toContain('ledger.py');

    const uninstall = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir });
    expect(uninstall.exitCode, uninstall.stderr).toBe(0);
    expect(treeDifferences(original, treeFingerprint(dir)).filter((path) => !path.startsWith('.venv/'))).toEqual([]);
    const pipList = await execa(join(dir, '.venv', 'bin', 'python'), ['-m', 'pip', 'list', '--disable-pip-version-check']);
    expect(String(pipList.stdout)).not.toMatch(/ez-pixel|ez_pixel/i);
  });

  it('refuses to pip-install into an externally managed system Python (PEP 668)', async () => {
    const system = '/usr/bin/python3.11';
    if (!existsSync('/usr/lib/python3.11/EXTERNALLY-MANAGED')) return expect.fail('this test needs Debian/Ubuntu python3.11 with its PEP 668 marker');
    const dir = await copyFixture('py-script-pip');
    const bin = mkdtempSync(join(tmpdir(), 'ez-pixel-system-python-'));
    symlinkSync(system, join(bin, 'python3'));
    try {
      const original = treeFingerprint(dir);
      const run = await runCli(['install', '--yes', '--cwd', dir], {
        cwd: dir,
        env: { PATH: `${bin}:${process.env.PATH ?? ''}`, VIRTUAL_ENV: '' },
      });
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toMatch(/EXTERNALLY-MANAGED/);
      expect(run.stderr).toContain('python3 -m venv .venv');
      expect(run.stderr).not.toContain('--break-system-packages');
      expect(treeDifferences(original, treeFingerprint(dir))).toEqual([]);
      // --skip-install installs nothing into it, so it wires the init and says what to install.
      const wired = await runCli(['install', '--yes', '--skip-install', '--cwd', dir], { cwd: dir, env: { PATH: `${bin}:${process.env.PATH ?? ''}`, VIRTUAL_ENV: '' } });
      expect(wired.exitCode, wired.stderr).toBe(0);
      expect(wired.stderr).toMatch(/--skip-install: the SDK was not installed/);
      expect(readFileSync(join(dir, 'main.py'), 'utf8')).toContain('import ez_pixel_init');
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});

describe('uv (py-flask-uv)', () => {
  it('installs with uv add, a failing request arrives, uninstall restores the tracked files', async () => {
    const dir = await copyFixture('py-flask-uv');
    const original = treeFingerprint(dir);
    const run = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest().url], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/Ran uv add \.\/\.ez-pixel\/ez_pixel-0\.2\.0-py3-none-any\.whl/);
    expect(readFileSync(join(dir, 'pyproject.toml'), 'utf8')).toMatch(/ez-pixel/);

    const app = execa(join(dir, '.venv', 'bin', 'python'), ['app.py'], { cwd: dir, env: { PORT: '0' }, reject: false });
    try {
      const port = await new Promise<string>((resolve, reject) => {
        let out = '';
        app.stdout?.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /listening on (\d+)/.exec(out);
          if (match) resolve(match[1] as string);
        });
        app.once('exit', () => reject(new Error(`the app exited: ${out}`)));
      });
      await waitForServer(`http://127.0.0.1:${port}/`);
      const response = await fetch(`http://127.0.0.1:${port}/boom`);
      expect(response.status).toBe(500);
      const event = await waitForEvent('ValueError');
      expect(inAppFiles(event)).toContain('billing.py');
    } finally {
      app.kill('SIGTERM');
      await app;
    }

    const uninstall = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir });
    expect(uninstall.exitCode, uninstall.stderr).toBe(0);
    expect(treeDifferences(original, treeFingerprint(dir)).filter((path) => !path.startsWith('__pycache__'))).toEqual([]);
    expect(await git(dir, ['status', '--porcelain'])).toBe('');
  });
});

async function waitForServer(url: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const ok = await fetch(url).then((response) => response.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer`);
}

describe('.env is honoured (py-script-pip)', () => {
  it('the init reads EZ_PIXEL_INGEST_URL from a single-quoted .env line the environment does not set; doctor flags .env and the init disagreeing', async () => {
    const dir = await copyFixture('py-script-pip');
    await execa('python3', ['-m', 'venv', '.venv'], { cwd: dir });
    const nowhere = 'http://127.0.0.1:9/ingest';
    const run = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', nowhere], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    const dotenv = readFileSync(join(dir, '.env'), 'utf8');
    expect(dotenv).toContain(`EZ_PIXEL_INGEST_URL='${nowhere}'`);
    // The user points .env at the live ingest, and only .env (the init file keeps its fallback).
    writeFileSync(join(dir, '.env'), `# local settings\nexport OTHER=1\n${dotenv.replace(nowhere, ingest().url)}`);

    const seen = ingest().accepted.length;
    const crash = await execa(join(dir, '.venv', 'bin', 'python'), ['main.py', '--crash'], { cwd: dir, reject: false, timeout: 30_000, env: { EZ_PIXEL_INGEST_URL: '' } });
    expect(crash.exitCode).not.toBe(0);
    const event = await waitForEvent('ZeroDivisionError');
    expect(ingest().accepted.length).toBeGreaterThan(seen);
    expect(inAppFiles(event)).toContain('ledger.py');
    // Only the EZ_PIXEL_ settings are read from .env, nothing else reaches the app's environment.
    const leaked = await execa(join(dir, '.venv', 'bin', 'python'), ['-c', 'import ez_pixel_init, os; print(os.environ.get("OTHER"), os.environ.get("EZ_PIXEL_INGEST_URL"))'], { cwd: dir, env: { EZ_PIXEL_DISABLED: '1' } });
    expect(String(leaked.stdout).trim()).toBe(`None ${ingest().url}`);

    const doctor = await runCli(['doctor', '--json', '--no-send', '--cwd', dir], { cwd: dir });
    const check = (JSON.parse(doctor.stdout) as { checks: { id: string; status: string; message: string }[] }).checks.find((c) => c.id === 'env');
    expect(check?.status).toBe('fail');
    expect(check?.message).toBe(`.env sets EZ_PIXEL_INGEST_URL=${ingest().url} but ez_pixel_init.py falls back to ${nowhere}; the app sends to .env's (the init reads .env first)`);
  });
});

describe('the SDK must import where the app runs', () => {
  it('a hatch environment that never installs the project\'s dependencies: exit 4, every byte restored', async () => {
    const dir = await makeProject('skip-install-hatch', {
      'pyproject.toml':
        '[project]\nname = "tool"\nversion = "1.0.0"\ndependencies = []\n\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n' +
        '[tool.hatch.build.targets.wheel]\npackages = ["tool"]\n\n[tool.hatch.envs.default]\nskip-install = true\n',
      'tool/__init__.py': '',
      'tool/__main__.py': 'print("tool")\n',
    });
    const original = treeFingerprint(dir);
    const run = await runCli(['install', '--yes', '--cwd', dir], { cwd: dir, env: { HATCH_DATA_DIR: join(dir, '..', 'hatch-data') } });
    expect(run.exitCode, run.stderr).toBe(4);
    expect(run.stderr).toMatch(/ez_pixel does not import in the environment the app runs in \(hatch run python -c 'import ez_pixel'\); every file was restored/);
    expect(run.stderr).not.toMatch(/\u001b\[/);
    expect(run.stderr).not.toContain('ez-pixel is wired in');
    expect(treeDifferences(original, treeFingerprint(dir))).toEqual([]);
  });
});

describe('Python entries', () => {
  it('shebang, coding line, docstring and __future__ stay byte-identical apart from the inserted line', async () => {
    const dir = await copyFixture('py-edge-header');
    const original = treeFingerprint(dir);
    const before = readFileSync(join(dir, 'main.py'), 'utf8');
    const run = await runCli(['install', '--yes', '--skip-install', '--cwd', dir], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    const after = readFileSync(join(dir, 'main.py'), 'utf8');
    const inserted = after.split('\n').filter((line) => line.includes('# ez-pixel'));
    expect(inserted).toHaveLength(1);
    expect(after.replace(`${inserted[0]}\n`, '')).toBe(before);
    const uninstall = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir });
    expect(uninstall.exitCode, uninstall.stderr).toBe(0);
    expect(treeDifferences(original, treeFingerprint(dir))).toEqual([]);
  });

  it('an entry with a syntax error: exit 5, the snippet printed, nothing changed', async () => {
    const dir = await copyFixture('py-edge-syntax-error');
    const original = treeFingerprint(dir);
    const run = await runCli(['install', '--yes', '--cwd', dir], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(5);
    expect(run.stdout).toMatch(/import .*ez_pixel_init.*# ez-pixel/);
    expect(treeDifferences(original, treeFingerprint(dir))).toEqual([]);
  });
});
