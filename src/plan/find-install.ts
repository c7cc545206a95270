/**
 * Where install left its record. `uninstall` run at a workspace root (or a parent folder) finds
 * the project install wired below it, a few levels down, without entering dependency folders.
 */
import { existsSync, readdirSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { STATE_FILE } from './state.js';

const SKIPPED = new Set(['node_modules', '.git', '.venv', 'venv', '.ez-pixel', '.yarn', 'dist', 'build', '__pycache__']);
const MAX_DEPTH = 3;

/** Project roots holding an install record: `dir` (an existing directory) itself when it has one, else those below it. */
export function findInstalledRoots(dir: string): string[] {
  if (existsSync(join(dir, STATE_FILE))) return [dir];
  const found: string[] = [];
  const walk = (current: string, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    let entries: Dirent[];
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      return; // a folder we may not read (EACCES) holds nothing we could uninstall anyway
    }
    for (const entry of entries) {
      if (!entry.isDirectory() || SKIPPED.has(entry.name)) continue;
      const child = join(current, entry.name);
      if (existsSync(join(child, STATE_FILE))) found.push(child);
      else walk(child, depth + 1);
    }
  };
  walk(dir, 1);
  return found.sort();
}
