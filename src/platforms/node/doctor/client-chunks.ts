/**
 * A full-stack framework's built client: its chunks must hold the browser init (a build from
 * before install has none, and nothing is reported from the page), never the Node SDK (the server
 * init in the client bundle would be a bug of ours), and source maps, so listen and serve show the
 * original file and line.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fail, pass, warn, type Check } from '../../../doctor/check.js';
import { BROWSER_SDK_MARK, chunkFiles, NODE_SDK_MARK } from './next-client-check.js';

export interface ClientChunks {
  /** The chunks' folder, relative to the root (`.next/static`). */
  dir: string;
  /** The files that alone may import @ez-pixel/node, for the fix. */
  nodeOnlyFrom: string;
  /** The framework's switch for client source maps. */
  mapsSwitch: string;
  rebuild: string;
}

export async function checkClientChunks(root: string, { dir, nodeOnlyFrom, mapsSwitch, rebuild }: ClientChunks): Promise<Check[]> {
  const files = await chunkFiles(join(root, dir));
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
  const maps = files.some((file) => file.endsWith('.js.map'))
    ? pass('source-maps', 'the built client chunks have source maps: events show the original file and line')
    : warn('source-maps', 'the built client chunks have no source maps: browser events show minified frames', `set ${mapsSwitch}, then rebuild`);
  return [bundle, maps];
}
