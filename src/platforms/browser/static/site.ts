/**
 * A plain static site: HTML pages served as files, with no bundler. Every page that runs
 * JavaScript is wired, not only index.html: a visitor can land on any page of a multi-page site,
 * and each page is a fresh document whose errors only its own <script> tags can see. The SDK and
 * its init go in the site's `js/` folder when it has one, else beside index.html.
 */
import { existsSync, lstatSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { SiteScripts } from './page-tags.js';

export const STATIC_ENTRY = 'index.html';
export const SDK_FILE = 'ez-pixel.min.js';
export const INIT_FILE = 'ez-pixel.init.js';

/** Folders that are not the site's pages: dependencies, tooling, and what a build of some other tool leaves. */
const notPages = /^(\.|node_modules$|bower_components$|vendor$)/;
const page = /\.html?$/i;

/** Where the site holds the two scripts: where a copy already is (install ran), else js/ if the site has it, else the root. */
export function siteScripts(root: string): SiteScripts {
  const inJs = existsSync(join(root, 'js', SDK_FILE)) || existsSync(join(root, 'js', INIT_FILE));
  const atRoot = existsSync(join(root, SDK_FILE)) || existsSync(join(root, INIT_FILE));
  const dir = inJs || (!atRoot && isRealDirectory(join(root, 'js'))) ? 'js/' : '';
  return { sdk: `${dir}${SDK_FILE}`, init: `${dir}${INIT_FILE}` };
}

function isRealDirectory(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Every HTML page under `root`, relative with '/' separators, sorted, index.html first. Symlinks are not followed. */
export async function sitePages(root: string, dir = ''): Promise<string[]> {
  const entries = await readdir(join(root, dir), { withFileTypes: true }).catch(() => []);
  const pages: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = dir ? posix.join(dir, entry.name) : entry.name;
    if (entry.isDirectory() && !notPages.test(entry.name)) pages.push(...(await sitePages(root, path)));
    else if (entry.isFile() && page.test(entry.name)) pages.push(path);
  }
  return dir ? pages : [...pages.filter((path) => path === STATIC_ENTRY), ...pages.filter((path) => path !== STATIC_ENTRY)];
}
