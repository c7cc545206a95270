/**
 * The fixtures are real programs: each dependency-free one runs cleanly, and its crash path
 * (`--crash`) really fails with a stack that points into the fixture's own code; the syntax-error
 * fixtures really do not parse; the servers answer / and fail on /boom (Flask and Django with the
 * web frameworks from .venv-test, which scripts/setup-test-env.sh creates).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { copyFixture, removeFixtureCopies } from './helpers/fixtures.js';

afterAll(removeFixtureCopies);

const run = promisify(execFile);
const testPython = fileURLToPath(new URL('../.venv-test/bin/python', import.meta.url));

interface Program {
  fixture: string;
  command: string;
  args: string[];
  /** A file of the fixture's own that the crash's stack trace must name. */
  crashesIn: string;
  cwd?: string;
  env?: Record<string, string>;
}

const programs: Program[] = [
  { fixture: 'node-plain-npm', command: 'node', args: ['index.js'], crashesIn: 'lib/orders.js' },
  { fixture: 'node-esm-pnpm', command: 'node', args: ['src/app.js'], crashesIn: 'src/inventory.js' },
  { fixture: 'node-cli-bin', command: 'node', args: ['bin/cli.js'], crashesIn: 'lib/index.js' },
  { fixture: 'node-edge-crlf', command: 'node', args: ['index.js'], crashesIn: 'index.js' },
  { fixture: 'node-edge-bom', command: 'node', args: ['index.js'], crashesIn: 'index.js' },
  { fixture: 'mixed-repo', command: 'node', args: ['frontend/index.js'], crashesIn: 'frontend/index.js' },
  { fixture: 'py-script-pip', command: 'python3', args: ['main.py'], crashesIn: 'ledger.py' },
  { fixture: 'py-pdm', command: 'python3', args: ['main.py'], crashesIn: 'units.py' },
  { fixture: 'py-hatch', command: 'python3', args: ['-m', 'hatch_app'], crashesIn: 'src/hatch_app/tally.py', env: { PYTHONPATH: 'src' } },
  { fixture: 'py-scripts-entry', command: 'python3', args: ['-m', 'pkg.cli'], crashesIn: 'pkg/cli.py' },
  { fixture: 'py-edge-header', command: 'python3', args: ['main.py'], crashesIn: 'main.py' },
];

async function runProgram(program: Program, dir: string, extraArgs: string[]) {
  try {
    const { stdout, stderr } = await run(program.command, [...program.args, ...extraArgs], {
      cwd: dir,
      env: { ...process.env, ...program.env, FIXTURE_CRASH: '' },
      timeout: 20_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('fixture programs', () => {
  for (const program of programs) {
    it(`${program.fixture}: runs, and crashes in its own code with --crash`, async () => {
      const dir = await copyFixture(program.fixture);
      const clean = await runProgram(program, dir, []);
      expect(clean, clean.stderr).toMatchObject({ code: 0, stderr: '' });
      const crash = await runProgram(program, dir, ['--crash']);
      expect(crash.code).not.toBe(0);
      expect(crash.stderr).toContain(join(dir, ...program.crashesIn.split('/')));
    });
  }

  it('the syntax-error fixtures do not parse', async () => {
    const node = await copyFixture('node-edge-syntax-error');
    await expect(run('node', ['--check', 'index.js'], { cwd: node })).rejects.toMatchObject({ stderr: expect.stringContaining('SyntaxError') });
    const python = await copyFixture('py-edge-syntax-error');
    await expect(run('python3', ['-m', 'py_compile', 'main.py'], { cwd: python })).rejects.toMatchObject({ stderr: expect.stringContaining('SyntaxError') });
  });
});

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill();
});

/** Starts a server in `dir` and resolves with the port once it prints it matching `portLine`. */
function start(command: string, args: string[], dir: string, portLine: RegExp, env: Record<string, string> = {}): { child: ChildProcess; port: Promise<number>; output: () => string } {
  const child = spawn(command, args, { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  const port = new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const found = portLine.exec(output)?.[1];
      if (found) resolve(Number(found));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited with ${code} before listening:\n${output}`)));
  });
  return { child, port, output: () => output };
}

async function statuses(port: number): Promise<number[]> {
  return Promise.all(['/', '/boom'].map(async (path) => (await fetch(`http://127.0.0.1:${port}${path}`)).status));
}

describe('fixture servers', () => {
  it('pnpm-workspace: the api answers /, and /boom ends it with a stack in its own code', async () => {
    const dir = await copyFixture('pnpm-workspace');
    const server = start('node', ['packages/api/server.js'], dir, /listening on (\d+)/, { PORT: '0' });
    const port = await server.port;
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => server.child.on('exit', resolve));
    await fetch(`http://127.0.0.1:${port}/boom`).catch(() => undefined);
    expect(await exited).not.toBe(0);
    expect(server.output()).toContain(join(dir, 'packages', 'api', 'quote.js'));
  });
});

describe.skipIf(!existsSync(testPython))('fixture web apps (Python frameworks from .venv-test)', () => {
  it('py-flask-uv answers 200 on / and 500 on /boom', async () => {
    const dir = await copyFixture('py-flask-uv');
    const port = await start(testPython, ['app.py'], dir, /listening on (\d+)/, { PORT: '0' }).port;
    expect(await statuses(port)).toEqual([200, 500]);
  });

  it('py-django-pipenv answers 200 on / and 500 on /boom', async () => {
    const dir = await copyFixture('py-django-pipenv');
    const { stdout } = await run(testPython, ['-c', 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])']);
    const args = ['manage.py', 'runserver', `127.0.0.1:${stdout.trim()}`, '--noreload'];
    const port = await start(testPython, args, dir, /Starting development server at http:\/\/127\.0\.0\.1:(\d+)/).port;
    expect(await statuses(port)).toEqual([200, 500]);
  });
});
