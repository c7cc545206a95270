/** Reading a text file that may not exist: its content, or null when it is missing. */
import { readFile } from 'node:fs/promises';

/** The UTF-8 text at `path`, or null when there is no such file; other errors are thrown. */
export async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
}
