/**
 * Folders install made for the files it created (Nuxt's server/plugins/ and app/plugins/): they
 * are recorded, and uninstall removes them again when deleting our files leaves them empty. A
 * folder that was there before install is never recorded, so never removed.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, posix } from 'node:path';

/** The folders above `path` (relative, '/' separators) that do not exist yet, outermost first. */
export function missingDirs(root: string, path: string): string[] {
  const missing: string[] = [];
  for (let dir = posix.dirname(path); dir !== '.' && dir !== '/' && !existsSync(join(root, dir)); dir = posix.dirname(dir)) missing.unshift(dir);
  return missing;
}

/** Of the recorded `dirs`, those that hold nothing but `deleted` files and other such folders: innermost first, as they are removed. */
export async function emptiedDirs(root: string, dirs: string[], deleted: string[]): Promise<string[]> {
  const gone = new Set(deleted);
  const emptied: string[] = [];
  for (const dir of [...dirs].sort((a, b) => b.split('/').length - a.split('/').length)) {
    let names: string[];
    try {
      names = await readdir(join(root, dir));
    } catch {
      continue; // already gone
    }
    if (names.every((name) => gone.has(posix.join(dir, name)))) {
      emptied.push(dir);
      gone.add(dir);
    }
  }
  return emptied;
}
