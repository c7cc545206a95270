/**
 * What a dependency directory install created (node_modules, .venv, .yarn) holds, as one hash of
 * its package names, so uninstall deletes the directory only when nobody installed anything else
 * into it since. The names are the top-level entries, the packages of `@scope/` folders, and a
 * virtualenv's site-packages; `__pycache__` is left out (running the app writes it).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256 } from './state.js';

async function names(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.map((entry) => entry.name).filter((name) => name !== '__pycache__');
}

async function packageNames(dir: string): Promise<string[]> {
  const top = await names(dir);
  const found = [...top];
  for (const name of top) {
    if (name.startsWith('@')) found.push(...(await names(join(dir, name))).map((child) => `${name}/${child}`));
  }
  for (const lib of ['lib', 'Lib']) {
    const pythons = lib === 'Lib' ? [''] : (await names(join(dir, lib))).filter((name) => /^python/.test(name));
    for (const python of pythons) {
      const sitePackages = join(lib, python, 'site-packages');
      found.push(...(await names(join(dir, sitePackages))).map((child) => `${sitePackages}/${child}`));
    }
  }
  return found.sort();
}

/** The inventory hash of `dir`, or null when it does not exist. */
export async function inventoryHash(dir: string): Promise<string | null> {
  const exists = await readdir(dir).then(() => true, () => false);
  return exists ? sha256((await packageNames(dir)).join('\n')) : null;
}
