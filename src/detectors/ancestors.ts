/**
 * The directories a project's package manager and workspace can be declared in: the project
 * itself and its parents, up to the repository root (the first holding .git), and never the home
 * directory or above. Looking further would let a stray lockfile in a home or temp directory
 * decide for the project.
 */
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, parse } from 'node:path';

export async function ancestorsWithinRepository(dir: string, home: string = homedir()): Promise<string[]> {
  const dirs: string[] = [];
  const { root } = parse(dir);
  let current = dir;
  while (current !== root) {
    dirs.push(current);
    if (await stat(join(current, '.git')).then(() => true, () => false)) break;
    current = dirname(current);
    if (current === home) break;
  }
  return dirs;
}
