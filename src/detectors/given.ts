/** Evidence, normalisation and checks for what the user passed explicitly (--entry, --pm...). */
import { isAbsolute, posix, relative, resolve, sep } from 'node:path';
import { platformNamed, platformsOfPackageManager } from '../platforms/index.js';
import type { Evidence, PackageManager, Runtime } from '../project.js';

export function givenEvidence(about: Evidence['about'], flag: string, value: string): Evidence {
  return { about, says: `${flag} ${value} given` };
}

/** `--entry` relative to the root with `/` separators (`./a/../b.js` is `b.js`), whether given relative or absolute. */
export function normalizeEntry(root: string, entry: string): string {
  const rel = isAbsolute(entry) ? relative(root, entry) : entry;
  return posix.normalize(rel.replace(/\\/g, '/'));
}

/** Why `--entry` cannot be used, or null: install edits only files inside the project directory. */
export function entryProblem(root: string, entry: string): string | null {
  if (isAbsolute(entry)) return `--entry ${entry} is an absolute path; give the entry relative to the project directory (${root})`;
  const inside = relative(root, resolve(root, entry));
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    return `--entry ${entry} is not a file inside the project directory (${root})`;
  }
  return null;
}

/** Why `--pm` does not fit the runtime asked for (by --runtime or --framework), or null. */
export function packageManagerProblem(runtime: Runtime, pm: PackageManager): string | null {
  if (platformNamed(runtime).packageManagers[pm]) return null;
  return `--pm ${pm} is a ${platformsOfPackageManager(pm).join(' and ')} package manager; it cannot install into a ${runtime} project`;
}
