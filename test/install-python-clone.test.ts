// The round a teammate makes, on Python project shapes modelled on real ones (pdm library, poetry 2
// with a PEP 621 table, pip with only a pyproject, a hatchling CLI that hatch only tests, a
// requirements/ folder, a uv workspace member): install with the real manager, commit, clone to
// ANOTHER path, set the clone up the project's own documented way, and the SDK imports and a crash
// reaches a real ingest on 127.0.0.1. No absolute path of the first machine is in any committed file.
// doctor passes in the clone (the environment the app runs in), and uninstall gives the files back.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixture, removeFixtureCopies } from './helpers/fixtures.js';
import { startTestIngest, type TestIngest } from './helpers/ingest.js';
import { git, runCli } from './install-helpers.js';

interface Case {
  fixture: string;
  /** The directory install runs in, relative to the fixture (a workspace member). */
  member?: string;
  /** What the user had done before running install (their environment exists). */
  before: string[][];
  /** How the project's README sets up a fresh clone. */
  setup: string[][];
  /** The crash, run in the clone's `member` directory. */
  crash: string[];
  inApp: RegExp;
  /** How "Next steps" says the app starts. */
  start: string;
  /** Checks on the committed files of the wired project. */
  declared: (dir: string, install: { stderr: string }) => Promise<void> | void;
}

const venvPip = ['.venv/bin/python', '-m', 'pip', 'install', '--disable-pip-version-check', '--quiet'];
const text = (dir: string, path: string): string => readFileSync(join(dir, path), 'utf8');

/** The METADATA of the one wheel `build` wrote into dist/. */
async function builtMetadata(dir: string, build: string[]): Promise<string> {
  const run = await execa(build[0] as string, build.slice(1), { cwd: dir, reject: false, env: scratchEnv() });
  expect(run.exitCode, String(run.stderr)).toBe(0);
  const wheel = readdirSync(join(dir, 'dist')).find((name) => name.endsWith('.whl')) as string;
  const listing = await execa('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(z.read([n for n in z.namelist() if n.endswith(".dist-info/METADATA")][0]).decode())', join(dir, 'dist', wheel)]);
  return String(listing.stdout);
}

const cases: Case[] = [
  {
    fixture: 'py-pdm-library',
    start: 'pdm run meterkit',
    before: [['pdm', 'install']],
    setup: [['pdm', 'install']],
    crash: ['pdm', 'run', 'meterkit', '--crash'],
    inApp: /^src\/meterkit\/convert\.py$/,
    declared: async (dir) => {
      const pyproject = text(dir, 'pyproject.toml');
      expect(pyproject).toMatch(/dependencies = \["ez-pixel==0\.2\.0"\]/);
      expect(pyproject).toContain('url = "file:///${PROJECT_ROOT}/.ez-pixel"');
      // pdm-backend builds, and the wheel requires the SDK by version, not by a file URL.
      const metadata = await builtMetadata(dir, ['pdm', 'build', '--no-sdist']);
      expect(metadata).toMatch(/^Requires-Dist: ez-pixel==0\.2\.0$/m);
      expect(metadata).not.toMatch(/file:/);
      rmSync(join(dir, 'dist'), { recursive: true, force: true });
    },
  },
  {
    fixture: 'py-poetry-pep621',
    start: 'poetry run tally',
    before: [],
    setup: [['poetry', 'install']],
    crash: ['poetry', 'run', 'tally', '--crash'],
    inApp: /^src\/tally\/counting\.py$/,
    declared: async (dir) => {
      const pyproject = text(dir, 'pyproject.toml');
      expect(pyproject).toMatch(/dependencies = \[\n {4}"ez-pixel \(==0\.2\.0\)",\n\]/);
      expect(pyproject).toMatch(/\[tool\.poetry\.dependencies\]\nez-pixel = \{ path = "\.ez-pixel\/ez_pixel-0\.2\.0-py3-none-any\.whl" \}/);
      const metadata = await builtMetadata(dir, ['poetry', 'build', '--format', 'wheel']);
      expect(metadata).toMatch(/^Requires-Dist: ez-pixel \(==0\.2\.0\)$/m);
      expect(metadata).not.toMatch(/file:/);
      rmSync(join(dir, 'dist'), { recursive: true, force: true });
    },
  },
  {
    fixture: 'py-pip-pyproject',
    start: '.venv/bin/ledgerly',
    before: [['python3', '-m', 'venv', '.venv'], [...venvPip, '-e', '.']],
    // A setuptools project cannot name a file inside itself portably: install says how, and this is it.
    setup: [['python3', '-m', 'venv', '.venv'], [...venvPip, '--find-links', '.ez-pixel', '-e', '.']],
    crash: ['.venv/bin/ledgerly', '--crash'],
    inApp: /^ledgerly\/totals\.py$/,
    declared: (dir, install) => {
      expect(text(dir, 'pyproject.toml')).toMatch(/dependencies = \["ez-pixel>=0\.2\.0"\]/);
      expect(install.stderr).toContain('pip install --find-links .ez-pixel -e .');
      expect(readdirSync(dir)).not.toContain('requirements.txt');
    },
  },
  {
    fixture: 'py-setuppy-pip',
    start: '.venv/bin/notes',
    before: [['python3', '-m', 'venv', '.venv'], [...venvPip, '-e', '.']],
    setup: [['python3', '-m', 'venv', '.venv'], [...venvPip, '--find-links', '.ez-pixel', '-e', '.']],
    crash: ['.venv/bin/notes', '--crash'],
    inApp: /^notes\/store\.py$/,
    declared: (dir, install) => {
      expect(text(dir, 'setup.py')).toContain('        # nothing from PyPI: the tests run offline\n        "ez-pixel>=0.2.0",\n    ],');
      expect(install.stderr).toContain('pip install --find-links .ez-pixel -e .');
      expect(readdirSync(dir)).not.toContain('requirements.txt');
    },
  },
  {
    // setup.py only calls setup(): install_requires lives in setup.cfg (found on Xennis/python-hello-web-frameworks).
    fixture: 'py-setupcfg-pip',
    start: '.venv/bin/tidy',
    before: [['python3', '-m', 'venv', '.venv'], [...venvPip, '-e', '.']],
    setup: [['python3', '-m', 'venv', '.venv'], [...venvPip, '--find-links', '.ez-pixel', '-e', '.']],
    crash: ['.venv/bin/tidy', '--crash'],
    inApp: /^tidy\/rules\.py$/,
    declared: (dir, install) => {
      expect(text(dir, 'setup.cfg')).toContain('install_requires =\n    # nothing from PyPI: the tests run offline\n    ez-pixel>=0.2.0\n');
      expect(text(dir, 'setup.py')).not.toContain('ez-pixel');
      expect(install.stderr).toContain('pip install --find-links .ez-pixel -e .');
    },
  },
  {
    fixture: 'py-hatchling-cli',
    start: '.venv/bin/stamp',
    before: [['python3', '-m', 'venv', '.venv'], [...venvPip, '-e', '.']],
    setup: [['python3', '-m', 'venv', '.venv'], [...venvPip, '-e', '.']],
    crash: ['.venv/bin/stamp', '--crash'],
    inApp: /^src\/stamp\/dates\.py$/,
    declared: (dir, install) => {
      expect(install.stderr).toMatch(/python \/ script, pip/);
      const pyproject = text(dir, 'pyproject.toml');
      expect(pyproject).toContain('dependencies = ["ez-pixel @ {root:uri}/.ez-pixel/ez_pixel-0.2.0-py3-none-any.whl"]');
      expect(pyproject).toMatch(/\[tool\.hatch\.metadata\]\nallow-direct-references = true\n$/);
      expect(readdirSync(dir)).not.toContain('requirements.txt');
    },
  },
  {
    fixture: 'py-requirements-folder',
    start: 'python worker.py',
    before: [['python3', '-m', 'venv', '.venv']],
    setup: [['python3', '-m', 'venv', '.venv'], [...venvPip, '-r', 'requirements/dev.txt']],
    crash: ['.venv/bin/python', 'worker.py', '--crash'],
    inApp: /^jobs\.py$/,
    declared: (dir) => {
      // The Dockerfile installs requirements/prod.txt, so that is where the SDK goes.
      expect(text(dir, 'requirements/prod.txt')).toBe('-r base.txt\n./.ez-pixel/ez_pixel-0.2.0-py3-none-any.whl\n');
      expect(text(dir, 'requirements/base.txt')).not.toContain('ez-pixel');
    },
  },
  {
    fixture: 'py-uv-workspace',
    start: 'uv run python app/main.py',
    member: 'backend',
    before: [['uv', 'sync']],
    setup: [['uv', 'sync']],
    crash: ['uv', 'run', 'python', 'app/main.py', '--crash'],
    inApp: /^app\/pricing\.py$/,
    declared: (dir, install) => {
      expect(install.stderr).toMatch(/uv workspace in \.\.\/ lists backend/);
      expect(text(dir, 'backend/pyproject.toml')).toMatch(/\[tool\.uv\.sources\]\nez-pixel = \{ path = "\.ez-pixel\/ez_pixel-0\.2\.0-py3-none-any\.whl" \}/);
      expect(text(dir, 'uv.lock')).toContain('ez-pixel');
      expect(readdirSync(join(dir, 'backend'))).not.toContain('.venv');
    },
  },
];

let ingest: TestIngest;
let scratch = '';
/** Managers keep their environments and caches in a scratch directory, not the home directory. */
function scratchEnv(): Record<string, string> {
  if (!scratch) scratch = mkdtempSync(join(tmpdir(), 'ez-pixel-clone-caches-'));
  return { POETRY_VIRTUALENVS_PATH: join(scratch, 'poetry'), PDM_CHECK_UPDATE: 'false' };
}

beforeAll(async () => {
  ingest = await startTestIngest();
});
afterAll(async () => {
  await ingest.dispose();
  await removeFixtureCopies();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

async function runAll(commands: string[][], cwd: string): Promise<void> {
  for (const argv of commands) {
    const run = await execa(argv[0] as string, argv.slice(1), { cwd, reject: false, all: true, env: scratchEnv(), timeout: 240_000 });
    expect(run.exitCode, `${argv.join(' ')}:\n${String(run.all)}`).toBe(0);
  }
}

describe.each(cases)('$fixture', (test) => {
  it('install, commit, clone elsewhere, set up the documented way: the crash reports; doctor passes; uninstall restores', async () => {
    const dir = await copyFixture(test.fixture);
    const member = (root: string): string => join(root, test.member ?? '.');
    const original = (await git(dir, ['rev-parse', 'HEAD'])).trim();
    await runAll(test.before, member(dir));

    const install = await runCli(['install', '--yes', '--cwd', member(dir), '--ingest-url', ingest.url], { cwd: dir, env: scratchEnv() });
    expect(install.exitCode, install.stderr).toBe(0);
    expect(install.stderr).toMatch(/Ran .*python -c 'import ez_pixel'/);
    await test.declared(dir, install);
    expect(install.stderr).toContain(`2. ${test.start} (or however you start the app)`);
    expect(install.stderr).toContain('EZ_PIXEL_DISABLED=1');

    await git(dir, ['add', '--all']);
    await git(dir, ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', 'commit', '--quiet', '--message', 'wire ez-pixel']);
    const committed = await git(dir, ['ls-files']);
    expect(committed).toContain('.ez-pixel/ez_pixel-0.2.0-py3-none-any.whl');
    const leaks = await execa('git', ['grep', '--line-number', '--fixed-strings', '-e', dir, '-e', tmpdir() + '/'], { cwd: dir, reject: false });
    expect(String(leaks.stdout), 'absolute paths in committed files').toBe('');

    const elsewhere = join(mkdtempSync(join(tmpdir(), 'ez-pixel-clone-')), 'teammate');
    try {
      await execa('git', ['clone', '--quiet', dir, elsewhere]);
      await runAll(test.setup, member(elsewhere));
      const seen = ingest.accepted.length;
      const crash = await execa(test.crash[0] as string, test.crash.slice(1), { cwd: member(elsewhere), reject: false, all: true, env: scratchEnv(), timeout: 60_000 });
      expect(crash.exitCode, String(crash.all)).not.toBe(0);
      const deadline = Date.now() + 20_000;
      while (ingest.accepted.length === seen && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      const event = ingest.accepted[seen]?.event;
      expect(event, `no event; the app said:\n${String(crash.all)}`).toBeDefined();
      expect(event!.stack.filter((frame) => frame.in_app).map((frame) => frame.file)).toEqual(expect.arrayContaining([expect.stringMatching(test.inApp)]));

      const doctor = await runCli(['doctor', '--json', '--cwd', member(elsewhere)], { cwd: elsewhere, env: scratchEnv() });
      const checks = (JSON.parse(doctor.stdout) as { checks: { id: string; status: string; message: string }[] }).checks;
      expect(checks.filter((check) => check.status === 'fail'), doctor.stderr).toEqual([]);
      expect(checks.find((check) => check.id === 'installed')?.status).toBe('pass');
    } finally {
      rmSync(join(elsewhere, '..'), { recursive: true, force: true });
    }

    const uninstall = await runCli(['uninstall', '--yes', '--cwd', member(dir)], { cwd: dir, env: scratchEnv() });
    expect(uninstall.exitCode, uninstall.stderr).toBe(0);
    const changed = (await git(dir, ['diff', '--name-only', original])).split('\n').filter((path) => path && !/(^|\/)(uv|pdm|poetry)\.lock$/.test(path));
    expect(changed).toEqual([]);
  });
});
