/**
 * The package `__init__.py` files Python runs before a module inside a package: importing
 * `shop.api.views` runs `shop/__init__.py`, then `shop/api/__init__.py`, then the module. An init
 * loaded by the module itself is therefore not the first code to run when one of those does work.
 */
import { posix } from 'node:path';
import type { ProjectFiles } from '../../../detectors/project-files.js';

/** The `__init__.py` files run before `file` is imported, outermost first (`file` itself excluded). */
export async function enclosingPackageInits(files: ProjectFiles, file: string): Promise<string[]> {
  const inits: string[] = [];
  let dir = posix.dirname(file);
  if (posix.basename(file) === '__init__.py') dir = posix.dirname(dir);
  while (dir !== '.' && (await files.isFile(`${dir}/__init__.py`))) {
    inits.unshift(`${dir}/__init__.py`);
    dir = posix.dirname(dir);
  }
  return inits;
}
