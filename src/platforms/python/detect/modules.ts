/**
 * Resolves a dotted module name to its file, the way the import system would find it from the
 * project: at the root or in the src/ layout, as `a/b.py` or the package `a/b/__init__.py`.
 */
import type { ProjectFiles } from '../../../detectors/project-files.js';

const sourceRoots = ['', 'src/'];

export async function moduleFile(files: ProjectFiles, dotted: string): Promise<string | null> {
  const path = dotted.trim().replace(/\./g, '/');
  if (!/^[\w/]+$/.test(path)) return null;
  return files.firstFile(sourceRoots.flatMap((root) => [`${root}${path}.py`, `${root}${path}/__init__.py`]));
}

/** Directories at the root (and in src/) that are Python packages, i.e. hold __init__.py. */
export async function packageDirectories(files: ProjectFiles): Promise<string[]> {
  const skip = /^(\.|_|node_modules$|venv$|env$|build$|dist$|tests?$|docs?$|site-packages$)/;
  const packages: string[] = [];
  for (const root of sourceRoots) {
    const entries = await files.list(root || '.');
    const dirs = entries.filter((e) => e.isDirectory() && !skip.test(e.name)).map((e) => `${root}${e.name}`);
    const withInit = await Promise.all(dirs.map((dir) => files.isFile(`${dir}/__init__.py`)));
    packages.push(...dirs.filter((_, i) => withInit[i]));
  }
  return packages;
}
