/**
 * Writes a file by writing a temporary sibling and renaming it over the target, so a crash or
 * Ctrl-C never leaves a half-written file. The file's mode is kept (an executable entry stays one).
 */
import { chmod, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export async function writeFileAtomic(path: string, content: string | Buffer, mode: number | null = null): Promise<void> {
  const keepMode = mode ?? (await stat(path).then((info) => info.mode & 0o7777, () => null));
  const temporary = join(dirname(path), `.${basename(path)}.ez-pixel-${process.pid}.tmp`);
  try {
    await writeFile(temporary, content);
    if (keepMode !== null) await chmod(temporary, keepMode);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
