// The entry install wired (here one named with --entry) is remembered in .ez-pixel/install.json:
// doctor, a re-run and uninstall all use it, so a re-run never wires a second file and uninstall
// leaves the app starting and the tree byte-identical. Real npm, real processes, a real ingest.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFixture, makeProject } from './helpers/fixtures.js';
import { runCli, treeDifferences, treeFingerprint, useSuiteIngest } from './install-helpers.js';

const ingest = useSuiteIngest();

describe('--entry is remembered (node-two-processes: the worker, not the start script)', () => {
  let dir: string;
  let original: Map<string, string>;

  beforeAll(async () => {
    dir = await copyFixture('node-two-processes');
    original = treeFingerprint(dir);
  });

  it('installs into the named entry', async () => {
    const run = await runCli(['install', '--yes', '--cwd', dir, '--entry', 'src/worker.js', '--ingest-url', ingest().url], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(readFileSync(join(dir, 'src/worker.js'), 'utf8')).toContain("require('./ez-pixel.init.cjs'); // ez-pixel");
    expect(readFileSync(join(dir, 'src/server.js'), 'utf8')).not.toContain('ez-pixel');
  });

  it('doctor checks the recorded entry, not the start script', async () => {
    const run = await runCli(['doctor', '--cwd', dir, '--json', '--no-send'], { cwd: dir });
    const checks = JSON.parse(run.stdout).checks as Array<{ id: string; status: string; message: string }>;
    expect(checks.find((c) => c.id === 'project')?.message).toContain('entry src/worker.js');
    expect(checks.find((c) => c.id === 'load-order')?.status).toBe('pass');
  });

  it('a re-run with a new --ingest-url changes only the URL and wires no second file', async () => {
    const before = treeFingerprint(dir);
    const run = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', 'https://ingest().example.com/ingest'], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('src/worker.js is the entry recorded in .ez-pixel/install.json');
    expect(treeDifferences(before, treeFingerprint(dir))).toEqual(['.env', '.ez-pixel/install.json', 'src/ez-pixel.init.cjs']);
    expect(readFileSync(join(dir, 'src/server.js'), 'utf8')).not.toContain('ez-pixel');
    const state = JSON.parse(readFileSync(join(dir, '.ez-pixel/install.json'), 'utf8'));
    expect(state.entry.path).toBe('src/worker.js');
    expect(state.settings.ingestUrl).toBe('https://ingest().example.com/ingest');
  });

  it('a re-run naming another --entry is refused: it would wire a second file', async () => {
    const before = treeFingerprint(dir);
    const run = await runCli(['install', '--yes', '--cwd', dir, '--entry', 'src/server.js'], { cwd: dir });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('already wired into src/worker.js');
    expect(run.stderr).toContain('ez-pixel uninstall');
    expect(treeDifferences(before, treeFingerprint(dir))).toEqual([]);
  });

  it('the wired worker reports its crash to the ingest', async () => {
    await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest().url], { cwd: dir });
    const crash = await execa(process.execPath, ['src/worker.js', '--crash'], { cwd: dir, reject: false, timeout: 30_000 });
    expect(crash.exitCode).toBe(1);
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && !ingest().accepted.some((a) => a.event.type === 'TypeError')) await new Promise((r) => setTimeout(r, 100));
    const event = ingest().accepted.find((a) => a.event.type === 'TypeError')?.event;
    expect(event?.stack.filter((frame) => frame.in_app).map((frame) => frame.file)).toContain('src/jobs.js');
  });

  it('uninstall takes it out of the recorded entry: the app starts and the tree is byte-identical', async () => {
    const run = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(treeDifferences(original, treeFingerprint(dir))).toEqual([]);
    expect(existsSync(join(dir, 'src/ez-pixel.init.cjs'))).toBe(false);
    const worker = await execa(process.execPath, ['src/worker.js'], { cwd: dir, reject: false, timeout: 30_000 });
    expect(worker.exitCode, worker.stderr).toBe(0);
    expect(worker.stdout).toContain('done {"resized":8}');
  });
});

describe('--entry is remembered for Python too (shared detection)', () => {
  it('re-run and uninstall use the recorded worker.py, not main.py', async () => {
    const dir = await makeProject('py-two-scripts', {
      'requirements.txt': 'requests\n',
      'main.py': 'print("web")\n',
      'worker.py': '"""The queue worker."""\nprint("worker")\n',
    });
    const original = treeFingerprint(dir);
    const first = await runCli(['install', '--yes', '--skip-install', '--cwd', dir, '--entry', 'worker.py'], { cwd: dir });
    expect(first.exitCode, first.stderr).toBe(0);
    const rerun = await runCli(['install', '--yes', '--skip-install', '--cwd', dir, '--ingest-url', 'https://ingest().example.com/ingest'], { cwd: dir });
    expect(rerun.exitCode, rerun.stderr).toBe(0);
    expect(rerun.stderr).toContain('worker.py is the entry recorded in .ez-pixel/install.json');
    expect(readFileSync(join(dir, 'main.py'), 'utf8')).toBe('print("web")\n');
    expect(readFileSync(join(dir, 'worker.py'), 'utf8')).toContain('ez_pixel_init');
    const doctor = await runCli(['doctor', '--cwd', dir, '--json', '--no-send'], { cwd: dir });
    expect(JSON.parse(doctor.stdout).checks.find((c: { id: string }) => c.id === 'project').message).toContain('entry worker.py');
    const uninstall = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir });
    expect(uninstall.exitCode, uninstall.stderr).toBe(0);
    expect(treeDifferences(original, treeFingerprint(dir))).toEqual([]);
  });
});
