/** Runs the built CLI (bin/ez-pixel.js → dist/) as a real child process. */
import { execa, type Result } from 'execa';
import { fileURLToPath } from 'node:url';

export const cliPath = fileURLToPath(new URL('../../bin/ez-pixel.js', import.meta.url));

export async function runCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<Result> {
  return execa(process.execPath, [cliPath, ...args], { cwd: options.cwd, env: options.env, reject: false, stdin: 'ignore' });
}
