/** The --cwd a command works in: it must be an existing directory, or the run is a usage error (exit 2). */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CliError, ExitCode } from '../exit-codes.js';

export async function requireDirectory(cwd: string): Promise<string> {
  const dir = resolve(cwd);
  const info = await stat(dir).catch((error: NodeJS.ErrnoException) => error);
  if (info instanceof Error) {
    const why = info.code === 'ENOENT' || info.code === 'ENOTDIR' ? 'does not exist' : `cannot be read (${info.code ?? info.message})`;
    throw new CliError(`--cwd ${dir} ${why}`, ExitCode.usage);
  }
  if (!info.isDirectory()) throw new CliError(`--cwd ${dir} is not a directory`, ExitCode.usage);
  return dir;
}
