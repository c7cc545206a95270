/**
 * A full-stack framework's built client (Next's .next/static, Nuxt's .output/public, SvelteKit's
 * and React Router's Vite output): its chunks must hold the browser init (a build from before
 * install has none, and nothing is reported from the page), never the Node SDK (the server init
 * in the client bundle would be a bug of ours), and source maps, so listen and serve show the
 * original file and line. The caller says first whether there is a build at all.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fail, pass, warn, type Check } from '../../../doctor/check.js';

/** What each SDK's built code names itself in the events it sends: it survives minification (Vite 8 writes it in backquotes). */
export const BROWSER_SDK_MARK = /["'`]ez-pixel-browser["'`]/;
export const NODE_SDK_MARK = /["'`]ez-pixel-node["'`]/;

export interface ClientChunks {
  /** The chunks' folder, relative to the root (`.next/static`). */
  dir: string;
  /** The files that alone may import @ez-pixel/node, for the fix. */
  nodeOnlyFrom: string;
  /** The framework's switch for client source maps, or null: no maps check. */
  mapsSwitch: string | null;
  rebuild: string;
}

export async function chunkFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile() && /\.(js|map)$/.test(entry.name)).map((entry) => join(entry.parentPath, entry.name));
}

export async function checkClientChunks(root: string, { dir, nodeOnlyFrom, mapsSwitch, rebuild }: ClientChunks): Promise<Check[]> {
  const files = await chunkFiles(join(root, ...dir.split('/')));
  let browser = false;
  let node = false;
  for (const file of files.filter((name) => name.endsWith('.js'))) {
    const text = await readFile(file, 'utf8');
    browser ||= BROWSER_SDK_MARK.test(text);
    node ||= NODE_SDK_MARK.test(text);
  }
  const bundle = node
    ? fail('client-bundle', `the Node SDK (@ez-pixel/node) is in the built client chunks under ${dir}: the server init must never reach the page`, `import @ez-pixel/node only from ${nodeOnlyFrom}; then rebuild`)
    : browser
      ? pass('client-bundle', `the built client chunks (${dir}) hold the @ez-pixel/browser init`)
      : fail('client-bundle', `the built client chunks (${dir}) hold no @ez-pixel/browser init: the build predates install, so the pages report nothing`, rebuild);
  if (mapsSwitch === null) return [bundle];
  const maps = files.some((file) => file.endsWith('.js.map'))
    ? pass('source-maps', 'the built client chunks have source maps: events show the original file and line')
    : warn('source-maps', 'the built client chunks have no source maps: browser events show minified frames', `set ${mapsSwitch}, then rebuild`);
  return [bundle, maps];
}
