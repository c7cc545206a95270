/**
 * Which files a real node process loads: ES modules through a load hook, CommonJS modules from
 * require.cache at exit (see module-log/). Used to prove that `--help` loads nothing heavy.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const register = fileURLToPath(new URL('./module-log/register.mjs', import.meta.url));
const ownFiles = fileURLToPath(new URL('./module-log/', import.meta.url));

export interface LoadedRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Absolute paths of every file module loaded (built-ins and the logging hooks left out). */
  files: string[];
}

/** Runs `node <args>` in `cwd` and returns what it printed and the files it loaded. */
export async function filesLoadedBy(args: string[], cwd: string): Promise<LoadedRun> {
  const logDir = mkdtempSync(join(tmpdir(), 'ez-pixel-module-log-'));
  const log = join(logDir, 'modules.log');
  try {
    const result = await execa(process.execPath, ['--import', register, ...args], {
      cwd, env: { MODULE_LOG: log }, stdin: 'ignore', reject: false,
    });
    const urls = readFileSync(log, 'utf8').split('\n').filter((url) => url.startsWith('file:'));
    const files = [...new Set(urls.map((url) => fileURLToPath(url)))].filter((path) => !path.startsWith(ownFiles));
    return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr), files };
  } finally {
    rmSync(logDir, { recursive: true, force: true });
  }
}
