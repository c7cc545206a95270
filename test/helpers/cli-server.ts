/**
 * The CLI's servers as a user runs them: `ez-pixel listen` or `serve` from the built CLI in a child
 * process (build first: npm run build), on a free port, with their stdout read line by line.
 * Every process started is killed by `killServers()` (call it in afterEach).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const cli = join(root, 'bin', 'ez-pixel.js');

export interface CliServer {
  child: ChildProcess;
  url: string;
  origin: string;
  /** The next stdout line (after the first), waiting up to `timeoutMs` (10 s). */
  nextLine(timeoutMs?: number): Promise<string>;
  stderr(): string;
  /** Waits (up to 10 s) until stderr matches. */
  stderrMatching(pattern: RegExp): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ChildProcess>();

export function killServers(): void {
  for (const child of running) child.kill('SIGKILL');
}

/**
 * Starts `ez-pixel <command> --port 0 …` (behind `prefix`, e.g. a ulimit shell; in `cwd`, default
 * this process's) and waits for its first stdout line.
 */
export async function startCliServer(
  command: 'listen' | 'serve',
  args: string[],
  env: Record<string, string | undefined> = {},
  prefix: string[] = [],
  cwd?: string,
): Promise<CliServer> {
  const argv = [...prefix, process.execPath, cli, command, '--port', '0', ...args];
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd,
    env: { ...process.env, TZ: 'UTC', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  const queued: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const waiter = waiting.shift();
    if (waiter) waiter(line);
    else queued.push(line);
  });
  const nextLine = (timeoutMs = 10_000) =>
    queued.length > 0
      ? Promise.resolve(queued.shift()!)
      : new Promise<string>((resolve, reject) => {
          const waiter = (line: string) => {
            clearTimeout(timer);
            resolve(line);
          };
          // A waiter that timed out leaves the list: the next line goes to the next caller, not to it.
          const timer = setTimeout(() => {
            waiting.splice(waiting.indexOf(waiter), 1);
            reject(new Error(`no stdout line within ${timeoutMs / 1000} s; stderr: ${stderr}`));
          }, timeoutMs);
          waiting.push(waiter);
        });
  const first = await Promise.race([nextLine(), exited.then(({ code }) => `exited with ${code}: ${stderr}`)]);
  expect(first).toMatch(/^listening on http:\/\/[^/]+:\d+\/ingest$/);
  const url = first.replace('listening on ', '');
  const stderrMatching = async (pattern: RegExp) => {
    for (const started = Date.now(); !pattern.test(stderr) && Date.now() - started < 10_000; ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return stderr;
  };
  return { child, url, origin: url.replace(/\/ingest$/, ''), nextLine, stderr: () => stderr, stderrMatching, exited };
}

/** Runs the CLI to completion (for commands that exit, and servers that fail to start). */
export function runCli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined> } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
