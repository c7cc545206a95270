/**
 * Runs one package-manager command from its argv array (never through a shell) in its own
 * process group, so an interrupt can stop the manager and everything it spawned. The full
 * output goes to a log file in a private folder (0700) of the OS temp directory (never into the
 * project; never a guessable name in the shared /tmp, where another user's symlink could make us
 * write through it); the last lines are kept for the error message.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Command } from './plan.js';

export interface CommandRun {
  ok: boolean;
  exitCode: number | null;
  signal: string | null;
  /** True when the run was stopped because the user interrupted the CLI. */
  interrupted: boolean;
  /** The last lines of output, for the error message. */
  tail: string[];
  logPath: string;
  /** Why the command could not start (e.g. the manager is not installed), or null. */
  startError: string | null;
}

const TAIL_LINES = 20;
const KILL_GRACE_MS = 3_000;

export async function runCommand(
  command: Command,
  options: { abort: AbortSignal; verbose: boolean },
): Promise<CommandRun> {
  const logPath = join(await mkdtemp(join(tmpdir(), 'ez-pixel-')), `${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
  const log = createWriteStream(logPath, { flags: 'wx', mode: 0o600 });
  log.write(`$ ${command.display}\n(cwd ${command.cwd})\n\n`);
  let recent = '';

  const subprocess = execa(command.argv[0] as string, command.argv.slice(1), {
    cwd: command.cwd,
    // Plain output: the tail is shown in the error message and the log is read as text.
    env: { ...command.env, npm_config_update_notifier: 'false', FORCE_COLOR: '0', NO_COLOR: '1' },
    stdin: 'ignore',
    all: true,
    buffer: false,
    reject: false,
    detached: true,
  });
  subprocess.all?.on('data', (chunk: Buffer) => {
    log.write(chunk);
    if (options.verbose) process.stderr.write(chunk);
    recent = (recent + chunk.toString('utf8')).slice(-16_384);
  });

  let interrupted = false;
  let killTimer: NodeJS.Timeout | undefined;
  const stop = (): void => {
    interrupted = true;
    signalGroup(subprocess.pid, 'SIGTERM');
    killTimer = setTimeout(() => signalGroup(subprocess.pid, 'SIGKILL'), KILL_GRACE_MS);
  };
  if (options.abort.aborted) stop();
  else options.abort.addEventListener('abort', stop, { once: true });

  // Waits until the whole run has ended, so nothing writes into the project after a rollback.
  const result = await subprocess;
  options.abort.removeEventListener('abort', stop);
  clearTimeout(killTimer);
  if (interrupted) signalGroup(subprocess.pid, 'SIGKILL'); // stragglers the manager left behind
  await new Promise<void>((resolve) => log.end(resolve));

  const startError = result.failed && result.exitCode === undefined && !result.signal ? (result.shortMessage ?? 'could not start') : null;
  return {
    ok: !interrupted && result.exitCode === 0,
    exitCode: result.exitCode ?? null,
    signal: result.signal ?? null,
    interrupted,
    tail: withoutEscapes(recent).replace(/\r/g, '').split('\n').filter((line) => line.trim() !== '').slice(-TAIL_LINES),
    logPath,
    startError,
  };
}

/** Managers such as pdm style their output even under NO_COLOR; the tail is shown as plain text. */
function withoutEscapes(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '');
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group has already exited.
  }
}
