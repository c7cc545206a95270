// Interactive runs in a real pseudo-terminal (Python's pty drives the CLI, keys are typed into
// it): detection's choice is a select, a dirty tree asks before going on, and the plan is shown
// and confirmed; answering no changes nothing.
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { copyFixture, removeFixtureCopies } from './helpers/fixtures.js';
import { cliPath, quietEnv, treeDifferences, treeFingerprint } from './install-helpers.js';

afterAll(removeFixtureCopies);

// Runs argv on a pty, copies its output to stdout and our stdin to it; exits with its code.
const PTY_DRIVER = `
import fcntl, os, pty, select, struct, sys, termios
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', 40, 120, 0, 0))  # 40 rows, 120 columns
    os.execvp(sys.argv[1], sys.argv[1:])
inputs = [fd, 0]
while True:
    ready, _, _ = select.select(inputs, [], [])
    if fd in ready:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        os.write(1, data)
    if 0 in ready:
        data = os.read(0, 1024)
        if data:
            os.write(fd, data)
        else:
            inputs.remove(0)
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
`;

/** Starts the CLI on a pty; `answer(prompt, keys)` types `keys` once the screen shows `prompt`. */
function interactive(args: string[], cwd: string) {
  const child = execa('python3', ['-c', PTY_DRIVER, process.execPath, cliPath, ...args], {
    cwd, env: { ...quietEnv, TERM: 'xterm', COLUMNS: '120' }, reject: false, timeout: 120_000,
  });
  let screen = '';
  child.stdout?.on('data', (chunk: Buffer) => (screen += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (screen += chunk.toString()));
  return {
    async answer(prompt: RegExp, keys: string): Promise<void> {
      const deadline = Date.now() + 30_000;
      while (!prompt.test(screen)) {
        if (Date.now() > deadline) throw new Error(`no prompt ${prompt}; the screen shows:\n${screen}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      screen = screen.replace(prompt, ''); // the next answer waits for the next prompt
      child.stdin?.write(keys);
    },
    async done(): Promise<{ exitCode: number; screen: string }> {
      child.stdin?.end();
      const result = await child;
      return { exitCode: result.exitCode ?? -1, screen };
    },
  };
}

describe('interactive install', () => {
  it('asks about a dirty tree, shows the plan, and applies it on yes', async () => {
    const dir = await copyFixture('node-plain-npm');
    writeFileSync(join(dir, 'wip.txt'), 'uncommitted\n');
    const run = interactive(['install', '--skip-install', '--cwd', dir], dir);
    await run.answer(/Continue anyway\?/, 'y');
    await run.answer(/Apply these changes\?/, 'y');
    const { exitCode, screen } = await run.done();
    expect(exitCode, screen).toBe(0);
    expect(screen).toMatch(/wip\.txt/);
    expect(screen).toMatch(/modified index\.js/);
    expect(screen).toMatch(/ez-pixel is wired in/);
    expect(readFileSync(join(dir, 'index.js'), 'utf8')).toContain("require('./ez-pixel.init.cjs'); // ez-pixel");
  });

  it('a different --key asks before replacing the existing one; no keeps everything', async () => {
    const dir = await copyFixture('node-plain-npm');
    await execa(process.execPath, [cliPath, 'install', '--yes', '--skip-install', '--cwd', dir], { env: quietEnv });
    const installed = treeFingerprint(dir);
    const run = interactive(['install', '--skip-install', '--key', 'pk_test_replacement', '--cwd', dir], dir);
    await run.answer(/Replace it with/, 'n');
    const { exitCode, screen } = await run.done();
    expect(exitCode, screen).toBe(1);
    expect(screen).toMatch(/kept the existing key/);
    expect(treeDifferences(installed, treeFingerprint(dir))).toEqual([]);
  });

  it('answering no to the plan changes nothing (exit 1)', async () => {
    const dir = await copyFixture('node-plain-npm');
    const original = treeFingerprint(dir);
    const run = interactive(['install', '--skip-install', '--cwd', dir], dir);
    await run.answer(/Apply these changes\?/, 'n');
    const { exitCode, screen } = await run.done();
    expect(exitCode, screen).toBe(1);
    expect(screen).toMatch(/nothing was changed/);
    expect(treeDifferences(original, treeFingerprint(dir))).toEqual([]);
  });

  it('a read-only entry is asked about first: no changes nothing, yes changes it and keeps mode 0444', async () => {
    const dir = await copyFixture('node-plain-npm');
    chmodSync(join(dir, 'index.js'), 0o444);
    const original = treeFingerprint(dir);
    const refused = interactive(['install', '--skip-install', '--cwd', dir], dir);
    await refused.answer(/index\.js \(mode 0444\) is read-only\. Change anyway/, 'n');
    const no = await refused.done();
    expect(no.exitCode, no.screen).toBe(1);
    expect(no.screen).toMatch(/nothing was changed/);
    expect(treeDifferences(original, treeFingerprint(dir))).toEqual([]);

    const accepted = interactive(['install', '--skip-install', '--cwd', dir], dir);
    await accepted.answer(/is read-only\. Change anyway/, 'y');
    await accepted.answer(/Apply these changes\?/, 'y');
    const yes = await accepted.done();
    expect(yes.exitCode, yes.screen).toBe(0);
    expect(yes.screen).toMatch(/Changed the read-only file index\.js/);
    expect(readFileSync(join(dir, 'index.js'), 'utf8')).toContain("require('./ez-pixel.init.cjs'); // ez-pixel");
    expect(statSync(join(dir, 'index.js')).mode & 0o7777).toBe(0o444);
  });

  it('detection that needs a choice asks with a select', async () => {
    const dir = await copyFixture('ambiguous-lockfiles');
    const run = interactive(['install', '--skip-install', '--cwd', dir], dir);
    await run.answer(/Which package manager/, '\r');
    await run.answer(/Apply these changes\?/, 'n');
    const { exitCode, screen } = await run.done();
    expect(exitCode, screen).toBe(1);
    expect(screen).toMatch(/npm|yarn/);
  });

  it('interactive uninstall shows the plan and asks', async () => {
    const dir = await copyFixture('node-plain-npm');
    const original = treeFingerprint(dir);
    await execa(process.execPath, [cliPath, 'install', '--yes', '--skip-install', '--cwd', dir], { env: quietEnv });
    const run = interactive(['uninstall', '--cwd', dir], dir);
    await run.answer(/Remove ez-pixel from this project\?/, 'y');
    const { exitCode, screen } = await run.done();
    expect(exitCode, screen).toBe(0);
    expect(treeDifferences(original, treeFingerprint(dir))).toEqual([]);
  });
});
