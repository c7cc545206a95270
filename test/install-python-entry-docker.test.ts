// A pip project with a web process and a queue worker (py-worker-docker-pip): install with
// --entry worker.py is remembered in .ez-pixel/install.json, so doctor checks the worker, a re-run
// with a new --ingest-url changes only the URL and wires no second file, and uninstall gives back
// every byte with the app still starting. Its Dockerfile copies only requirements.txt before
// `pip install -r`, so install adds the COPY of .ez-pixel/ before that step; the build is
// replayed without docker (no daemon here, and no base image could be pulled): a fresh clone as
// the build context, only what the Dockerfile COPYs, then its RUN with a fresh virtualenv's pip.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCKER_MARKER } from '../src/plan/dockerfile.js';
import { removeLine } from '../src/plan/line-file.js';
import { replayFirstRun } from './helpers/dockerfile-replay.js';
import { copyFixture, removeFixtureCopies } from './helpers/fixtures.js';
import { startTestIngest, type TestIngest } from './helpers/ingest.js';
import { git, runCli, treeDifferences, treeFingerprint } from './install-helpers.js';

let ingest: TestIngest;
const scratch: string[] = [];
beforeAll(async () => {
  ingest = await startTestIngest();
});
afterAll(async () => {
  await ingest.dispose();
  await removeFixtureCopies();
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ez-pixel-elsewhere-'));
  scratch.push(dir);
  return dir;
}

const withoutVenv = (paths: string[]): string[] => paths.filter((path) => !path.startsWith('.venv/') && !path.includes('__pycache__'));
const wheelLine = './.ez-pixel/ez_pixel-0.2.0-py3-none-any.whl';

describe('py-worker-docker-pip: --entry worker.py, remembered; the Dockerfile keeps building', () => {
  let dir: string;
  let original: Map<string, string>;
  beforeAll(async () => {
    dir = await copyFixture('py-worker-docker-pip');
    await execa('python3', ['-m', 'venv', '.venv'], { cwd: dir });
    original = treeFingerprint(dir);
  });

  it('installs into the named entry, declares the wheel in requirements.txt and copies .ez-pixel/ before the pip step', async () => {
    const run = await runCli(['install', '--yes', '--cwd', dir, '--entry', 'worker.py', '--ingest-url', ingest.url], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(readFileSync(join(dir, 'worker.py'), 'utf8')).toMatch(/^"""The queue worker: runs the pending jobs once\."""\nimport ez_pixel_init {2}# ez-pixel/);
    expect(readFileSync(join(dir, 'server.py'), 'utf8')).not.toContain('ez-pixel');
    expect(readFileSync(join(dir, 'requirements.txt'), 'utf8')).toBe(`# Standard library only: the image installs nothing else.\n${wheelLine}\n`);
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe(
      `FROM python:3.12-slim\nWORKDIR /srv\nCOPY requirements.txt .\n${DOCKER_MARKER}\nCOPY .ez-pixel ./.ez-pixel\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["python", "server.py"]\n`,
    );
    expect(run.stdout + run.stderr).not.toMatch(/lockfile/i);
  });

  it('doctor checks the recorded entry: the worker, which the Procfile starts', async () => {
    const run = await runCli(['doctor', '--json', '--no-send', '--cwd', dir], { cwd: dir });
    const checks = new Map((JSON.parse(run.stdout).checks as Array<{ id: string; status: string; message: string }>).map((check) => [check.id, check]));
    expect(checks.get('project')?.message).toContain('entry worker.py');
    expect(checks.get('load-order')).toMatchObject({ status: 'pass', message: 'worker.py loads ez_pixel_init before any other code' });
    expect(checks.get('entry-runs')).toMatchObject({ status: 'pass', message: 'worker.py is what `python worker.py` (Procfile) loads' });
    expect(checks.get('installed')?.status).toBe('pass');
  });

  it('the worker reports its crash', async () => {
    const seen = ingest.accepted.length;
    const crash = await execa(join(dir, '.venv/bin/python'), ['worker.py', '--crash'], { cwd: dir, reject: false, timeout: 30_000 });
    expect(crash.exitCode).toBe(1);
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && !ingest.accepted.slice(seen).some((a) => a.event.type === 'KeyError')) await new Promise((r) => setTimeout(r, 100));
    const event = ingest.accepted.slice(seen).find((a) => a.event.type === 'KeyError')?.event;
    expect(event?.stack.filter((frame) => frame.in_app).map((frame) => frame.file)[0]).toBe('jobs.py');
  });

  it('a re-run with a new --ingest-url changes only the URL and wires no second file', async () => {
    const before = treeFingerprint(dir);
    const run = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', 'https://ingest.example.com/ingest'], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('worker.py is the entry recorded in .ez-pixel/install.json');
    expect(withoutVenv(treeDifferences(before, treeFingerprint(dir)))).toEqual(['.env', '.ez-pixel/install.json', 'ez_pixel_init.py']);
    expect(readFileSync(join(dir, 'ez_pixel_init.py'), 'utf8')).toContain('FALLBACK_INGEST_URL = "https://ingest.example.com/ingest"');
    const state = JSON.parse(readFileSync(join(dir, '.ez-pixel/install.json'), 'utf8'));
    expect(state.entry.path).toBe('worker.py');
    expect(state.settings.ingestUrl).toBe('https://ingest.example.com/ingest');
    // Back to the test ingest for the rest.
    expect((await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest.url], { cwd: dir })).exitCode).toBe(0);
  });

  it("a fresh clone is a build context: the Dockerfile's pip step installs the SDK with our COPY, and fails without it", async () => {
    await git(dir, ['add', '--all']);
    await git(dir, ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', 'commit', '--quiet', '--no-verify', '-m', 'wire ez-pixel']);
    const clone = join(tempDir(), 'context');
    await execa('git', ['clone', '--quiet', dir, clone]);
    // The image's Python: a fresh virtualenv first on PATH, so the RUN's `pip` is its pip.
    const python = join(tempDir(), 'image-python');
    await execa('python3', ['-m', 'venv', python]);
    const env = { PATH: `${join(python, 'bin')}:${process.env.PATH}`, PIP_DISABLE_PIP_VERSION_CHECK: '1' };
    const dockerfile = readFileSync(join(clone, 'Dockerfile'), 'utf8');

    const built = await replayFirstRun(clone, dockerfile, env);
    scratch.push(built.image);
    expect(built.exitCode, built.output).toBe(0);
    const imported = await execa(join(python, 'bin/python'), ['-c', 'import ez_pixel; print(ez_pixel.__name__)'], { cwd: tmpdir(), reject: false });
    expect(imported.stdout, String(imported.stderr)).toBe('ez_pixel');

    await execa(join(python, 'bin/python'), ['-m', 'pip', 'uninstall', '--yes', '--quiet', 'ez-pixel']);
    const broken = await replayFirstRun(clone, removeLine(removeLine(dockerfile, DOCKER_MARKER)!, 'COPY .ez-pixel ./.ez-pixel')!, env);
    scratch.push(broken.image);
    expect(broken.exitCode).not.toBe(0);
    expect(broken.output).toMatch(/ez_pixel-0\.2\.0-py3-none-any\.whl/);
  });

  it('uninstall takes out the entry line, the requirement and the Dockerfile lines: byte-identical, and both processes start', async () => {
    const run = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(withoutVenv(treeDifferences(original, treeFingerprint(dir)))).toEqual([]);
    expect(existsSync(join(dir, 'ez_pixel_init.py'))).toBe(false);
    const worker = await execa(join(dir, '.venv/bin/python'), ['worker.py'], { cwd: dir, reject: false, timeout: 30_000 });
    expect(worker.stdout, String(worker.stderr)).toBe("['resized']");
    const server = execa(join(dir, '.venv/bin/python'), ['server.py'], { cwd: dir, reject: false, all: true, env: { PORT: '0', FIXTURE_ONCE: '1' }, timeout: 30_000 });
    let output = '';
    server.all?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && !/listening on \d+/.test(output)) await new Promise((r) => setTimeout(r, 50));
    const port = /listening on (\d+)/.exec(output)?.[1];
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
    expect((await server).exitCode).toBe(0);
  });
});
