// Regressions from the install/uninstall review: each case ran the real CLI and either crashed,
// wrote outside the project, or took back more (or other) than install put in. Each asserts the
// exit code and that nothing was written (or only what should be).
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { copyFixture, makeProject, removeFixtureCopies } from './helpers/fixtures.js';
import { cliPath, runCli, treeDifferences, treeFingerprint } from './install-helpers.js';

afterAll(removeFixtureCopies);

/** Every string value in a JSON document, however deep. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

describe('usage errors: exit 2, nothing written', () => {
  it('--entry outside --cwd (relative or absolute) is refused', async () => {
    const dir = await makeProject('app', { 'package.json': '{"name":"app","main":"index.js"}\n', 'index.js': 'console.log(1);\n' });
    const outside = join(dirname(dir), 'o2');
    mkdirSync(outside);
    writeFileSync(join(outside, 'x.js'), 'console.log(2);\n');
    const parent = treeFingerprint(dirname(dir));
    for (const entry of ['../o2/x.js', join(outside, 'x.js'), join(dir, 'index.js')]) {
      const run = await runCli(['install', '--yes', '--skip-install', '--cwd', dir, '--entry', entry], { cwd: dir });
      expect(run.exitCode, run.stderr).toBe(2);
      expect(run.stderr).toMatch(/--entry/);
      expect(run.stderr).not.toMatch(/unexpected error/);
    }
    expect(treeDifferences(parent, treeFingerprint(dirname(dir)))).toEqual([]);
  });

  it('--entry is normalised inside the project: sub/../index.js is index.js', async () => {
    const dir = await makeProject('app', { 'package.json': '{"name":"app","main":"index.js"}\n', 'index.js': 'console.log(1);\n' });
    const run = await runCli(['install', '--dry-run', '--json', '--skip-install', '--cwd', dir, '--entry', 'sub/../index.js'], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).edits.map((edit: { path: string }) => edit.path)).toContain('index.js');
    expect(JSON.parse(run.stdout).project.entry).toBe('index.js');
  });

  it.each([
    ['a newline', 'http://127.0.0.1:8765/ingest\nEVIL=1'],
    ['a tab', 'http://127.0.0.1:8765/in\tgest'],
    ['a carriage return', 'http://127.0.0.1:8765/ingest\r'],
  ])('an --ingest-url with %s is refused', async (_what, url) => {
    const dir = await copyFixture('node-plain-npm');
    const original = treeFingerprint(dir);
    const run = await runCli(['install', '--yes', '--skip-install', '--cwd', dir, '--ingest-url', url], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/whitespace or a control character/);
    expect(treeDifferences(original, treeFingerprint(dir))).toEqual([]);
  });

  it('a --key with a newline is refused', async () => {
    const dir = await copyFixture('node-plain-npm');
    const original = treeFingerprint(dir);
    const run = await runCli(['install', '--yes', '--skip-install', '--cwd', dir, '--key', 'pk_live_abc\nEVIL=1'], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(2);
    expect(treeDifferences(original, treeFingerprint(dir))).toEqual([]);
  });

  it('a --cwd that does not exist: install and uninstall exit 2 with a clear message', async () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'ez-pixel-missing-')), 'nope');
    for (const command of [['install', '--yes'], ['uninstall', '--yes'], ['install', '--dry-run']]) {
      const run = await runCli([...command, '--cwd', missing], { cwd: tmpdir() });
      expect(run.exitCode, run.stderr).toBe(2);
      expect(run.stderr).toContain(`--cwd ${missing} does not exist`);
      expect(run.stderr).not.toMatch(/unexpected error/);
    }
    expect(existsSync(missing)).toBe(false);
  });

  it('uninstall at a folder with an unreadable subfolder (EACCES) skips it instead of crashing', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'ez-pixel-eacces-'));
    const secret = join(parent, 'ws', 'secret');
    mkdirSync(secret, { recursive: true });
    chmodSync(parent, 0o755);
    chmodSync(join(parent, 'ws'), 0o755);
    chmodSync(secret, 0o000);
    try {
      // root reads anything, so as root the CLI runs as nobody, for whom `secret` is unreadable.
      const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
      const run = await execa(process.execPath, [cliPath, 'uninstall', '--yes', '--cwd', join(parent, 'ws')], {
        ...asNobody, cwd: tmpdir(), reject: false, stdin: 'ignore', env: { NO_COLOR: '1' },
      });
      expect(String(run.stderr)).not.toMatch(/unexpected error/);
      expect(run.exitCode, String(run.stderr)).toBe(0);
      expect(String(run.stderr)).toMatch(/not installed/);
    } finally {
      chmodSync(secret, 0o755);
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it.each([
    [['--runtime', 'python', '--pm', 'npm']],
    [['--framework', 'django', '--pm', 'pnpm']],
    [['--runtime', 'node', '--pm', 'pip']],
  ])('%j: a package manager of the other runtime is refused', async (flags) => {
    const dir = await copyFixture('mixed-repo');
    const original = treeFingerprint(dir);
    const run = await runCli(['install', '--yes', '--cwd', dir, ...flags], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/--pm \S+ is a (node and browser|node|python) package manager/);
    expect(treeDifferences(original, treeFingerprint(dir))).toEqual([]);
  });
});

describe('nothing to instrument', () => {
  it('a package.json without an entry: exit 3 naming --entry, not a crash', async () => {
    const dir = await makeProject('a', { 'package.json': '{"name":"a"}\n' });
    const original = treeFingerprint(dir);
    for (const flags of [['--dry-run'], []]) {
      const run = await runCli(['install', '--yes', ...flags, '--cwd', dir], { cwd: dir });
      expect(run.exitCode, run.stderr).toBe(3);
      expect(run.stderr).toMatch(/--entry <file>/);
      expect(run.stderr).not.toMatch(/unexpected error/);
    }
    expect(treeDifferences(original, treeFingerprint(dir))).toEqual([]);
  });
});

describe('.ez-pixel/ and the listen event store', () => {
  it('install ignores events.jsonl; uninstall keeps the events and removes only what install made', async () => {
    const dir = await copyFixture('node-plain-npm');
    const install = await runCli(['install', '--yes', '--cwd', dir], { cwd: dir });
    expect(install.exitCode, install.stderr).toBe(0);
    expect(readFileSync(join(dir, '.ez-pixel', '.gitignore'), 'utf8')).toBe('events.jsonl\nevents.db*\n!*.tgz\n!*.whl\n');
    const state = JSON.parse(readFileSync(join(dir, '.ez-pixel', 'install.json'), 'utf8'));
    expect(state.files.map((file: { path: string }) => file.path)).toContain('.ez-pixel/.gitignore');

    const events = '{"id":"1","event":{"type":"TypeError"}}\n';
    writeFileSync(join(dir, '.ez-pixel', 'events.jsonl'), events);
    const uninstall = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir });
    expect(uninstall.exitCode, uninstall.stderr).toBe(0);
    expect(uninstall.stderr).toMatch(/events\.jsonl/);
    expect(readdirSync(join(dir, '.ez-pixel'))).toEqual(['events.jsonl']);
    expect(readFileSync(join(dir, '.ez-pixel', 'events.jsonl'), 'utf8')).toBe(events);
  });
});

describe('pip with requirements/base.txt', () => {
  it('the line goes into requirements/base.txt, no root requirements.txt appears, uninstall takes it back', async () => {
    const dir = await makeProject('svc', {
      'requirements/base.txt': 'requests>=2\n',
      'main.py': 'print("hi")\n',
    });
    await execa('python3', ['-m', 'venv', '.venv'], { cwd: dir });
    const original = treeFingerprint(dir);
    const install = await runCli(['install', '--yes', '--cwd', dir, '--pm', 'pip'], { cwd: dir });
    expect(install.exitCode, install.stderr).toBe(0);
    expect(existsSync(join(dir, 'requirements.txt'))).toBe(false);
    expect(readFileSync(join(dir, 'requirements', 'base.txt'), 'utf8')).toBe('requests>=2\n./.ez-pixel/ez_pixel-0.2.0-py3-none-any.whl\n');

    // A teammate's clone: another path, where the recorded interpreter (if any) does not exist.
    const text = readFileSync(join(dir, '.ez-pixel', 'install.json'), 'utf8');
    expect(stringsIn(JSON.parse(text)).filter((value) => value.startsWith('/'))).toEqual([]);
    expect(text).not.toContain(dir);
    const clone = join(mkdtempSync(join(tmpdir(), 'ez-pixel-clone-')), 'svc');
    renameSync(dir, clone);
    const uninstall = await runCli(['uninstall', '--yes', '--cwd', clone], { cwd: clone });
    expect(uninstall.exitCode, uninstall.stderr).toBe(0);
    expect(treeDifferences(original, treeFingerprint(clone)).filter((path) => !path.startsWith('.venv/'))).toEqual([]);
    const pipList = await execa(join(clone, '.venv', 'bin', 'python'), ['-m', 'pip', 'list', '--disable-pip-version-check']);
    expect(String(pipList.stdout)).not.toMatch(/ez-pixel|ez_pixel/i);
  });
});

describe('install.json holds no machine paths', () => {
  it('a pnpm workspace member records its workspace root relatively', async () => {
    const dir = await copyFixture('pnpm-workspace');
    const member = join(dir, 'packages', 'api');
    const install = await runCli(['install', '--yes', '--skip-install', '--cwd', member], { cwd: member });
    expect(install.exitCode, install.stderr).toBe(0);
    const state = JSON.parse(readFileSync(join(member, '.ez-pixel', 'install.json'), 'utf8'));
    expect(state.project.workspaceRoot).toBe('../..');
    expect(stringsIn(state).filter((value) => value.startsWith('/'))).toEqual([]);
  });
});

describe('the install record is written inside the transaction', () => {
  it('when it cannot be completed after the package manager ran, everything is rolled back (no crash)', async () => {
    const dir = await copyFixture('node-plain-npm');
    const original = treeFingerprint(dir);
    // A package manager that "succeeds" but leaves a directory where a lockfile may be: the
    // record's manifest hashes cannot be read. Fault injection, like the fake registries.
    const bin = mkdtempSync(join(tmpdir(), 'ez-pixel-fake-npm-'));
    writeFileSync(join(bin, 'npm'), '#!/bin/sh\nmkdir npm-shrinkwrap.json\nexit 0\n');
    chmodSync(join(bin, 'npm'), 0o755);
    const run = await runCli(['install', '--yes', '--cwd', dir], { cwd: dir, env: { PATH: `${bin}:${process.env.PATH ?? ''}` } });
    expect(run.stderr).not.toMatch(/unexpected error/);
    expect(run.exitCode, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/a write failed; every file was restored/);
    expect(treeDifferences(original, treeFingerprint(dir))).toEqual([]);
  });
});

describe('a node_modules install created', () => {
  it('is kept by uninstall once something else was put into it', async () => {
    const dir = await copyFixture('node-plain-npm');
    const install = await runCli(['install', '--yes', '--cwd', dir], { cwd: dir });
    expect(install.exitCode, install.stderr).toBe(0);
    // A build tool's cache (babel-loader, webpack...): npm leaves it alone, and so must we.
    // (A package installed with --no-save is pruned by `npm uninstall` itself.)
    const cache = join(dir, 'node_modules', '.cache', 'babel-loader');
    mkdirSync(cache, { recursive: true });
    writeFileSync(join(cache, 'compiled.json'), '{}\n');
    const uninstall = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir });
    expect(uninstall.exitCode, uninstall.stderr).toBe(0);
    expect(readFileSync(join(cache, 'compiled.json'), 'utf8')).toBe('{}\n');
    expect(existsSync(join(dir, 'node_modules', '@ez-pixel', 'node'))).toBe(false); // npm uninstall took ours out
    expect(uninstall.stderr).toMatch(/node_modules\/ was created by install but now holds more/);
  });

  it('is deleted by uninstall when it holds only what install put there', async () => {
    const dir = await copyFixture('node-plain-npm');
    const original = treeFingerprint(dir);
    expect((await runCli(['install', '--yes', '--cwd', dir], { cwd: dir })).exitCode).toBe(0);
    const state = JSON.parse(readFileSync(join(dir, '.ez-pixel', 'install.json'), 'utf8'));
    expect(state.createdDirs).toEqual([{ path: 'node_modules', contentsSha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    const uninstall = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir });
    expect(uninstall.exitCode, uninstall.stderr).toBe(0);
    expect(treeDifferences(original, treeFingerprint(dir))).toEqual([]);
  });

  it('stays recorded, and is deleted by uninstall, after a re-run that adds the SDK again', async () => {
    const dir = await copyFixture('node-plain-npm');
    const original = treeFingerprint(dir);
    expect((await runCli(['install', '--yes', '--cwd', dir], { cwd: dir })).exitCode).toBe(0);
    // The user takes the SDK out of package.json by hand; the re-run's command adds it back into the same node_modules.
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    delete manifest.dependencies['@ez-pixel/node'];
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const rerun = await runCli(['install', '--yes', '--cwd', dir], { cwd: dir });
    expect(rerun.exitCode, rerun.stderr).toBe(0);
    const state = JSON.parse(readFileSync(join(dir, '.ez-pixel', 'install.json'), 'utf8'));
    expect(state.createdDirs).toEqual([{ path: 'node_modules', contentsSha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    const uninstall = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir });
    expect(uninstall.exitCode, uninstall.stderr).toBe(0);
    expect(treeDifferences(original, treeFingerprint(dir))).toEqual([]);
  });
});

describe('install.json stays small', () => {
  it('does not copy an existing lockfile into the record, and uninstall still restores the manifest', async () => {
    const dir = await copyFixture('node-plain-npm');
    const manifestBefore = readFileSync(join(dir, 'package.json'), 'utf8');
    const install = await runCli(['install', '--yes', '--cwd', dir], { cwd: dir });
    expect(install.exitCode, install.stderr).toBe(0);
    const state = JSON.parse(readFileSync(join(dir, '.ez-pixel', 'install.json'), 'utf8'));
    const recorded = (state.manifests as { path: string }[]).map((manifest) => manifest.path);
    expect(recorded).toContain('package.json');
    expect(recorded).not.toContain('package-lock.json');
    const uninstall = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir });
    expect(uninstall.exitCode, uninstall.stderr).toBe(0);
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe(manifestBefore);
    expect(JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')).packages['node_modules/@ez-pixel/node']).toBeUndefined();
  });
});
