// Runs a small application in a real child process: the script is written to a fresh temp
// directory (the project root) and run with node, with its own spool directory.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface AppDir {
  dir: string;
  cacheDir: string;
  write(name: string, text: string): string;
  run(script: string, options?: { env?: Record<string, string | undefined>; nodeArgs?: string[]; args?: string[]; timeoutMs?: number }): Promise<ChildResult>;
}

export function makeApp(): AppDir {
  const dir = mkdtempSync(join(tmpdir(), 'ez-pixel-node-app-'));
  const cacheDir = join(dir, '.cache-for-test');
  const app: AppDir = {
    dir,
    cacheDir,
    write(name, text) {
      const path = join(dir, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      return path;
    },
    run(script, options = {}) {
      return runNode([...(options.nodeArgs ?? []), script, ...(options.args ?? [])], { cwd: dir, env: { EZ_PIXEL_CACHE_DIR: cacheDir, ...options.env }, timeoutMs: options.timeoutMs });
    },
  };
  return app;
}

export function runNode(args: string[], options: { cwd: string; env?: Record<string, string | undefined>; timeoutMs?: number }): Promise<ChildResult> {
  const started = Date.now();
  const env: Record<string, string | undefined> = { ...process.env, NODE_OPTIONS: '', ...options.env };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: options.cwd, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const killer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/**
 * A line for a child script: at the process 'exit' event it prints how many ms passed since the
 * moment held in the variable `since` (the app's last statement, its crash...). Registered after
 * initPixel, it runs after the SDK's own exit work. It measures the SDK's wait alone, where the
 * wall-clock time of the child also counts its start-up, which a loaded machine stretches by seconds.
 */
export const printWaitAtExit = (since: string) =>
  `process.on('exit', () => require('node:fs').writeSync(1, 'waited ' + Math.round(performance.now() - ${since}) + '\\n'));`;

/** The ms printed by printWaitAtExit (NaN, which fails every bound, when it was not printed). */
export const waitedAtExit = (stdout: string) => Number(/^waited (\d+)$/m.exec(stdout)?.[1] ?? NaN);
