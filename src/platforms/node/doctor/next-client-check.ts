/**
 * The built client of a Next.js app: `next build` must have kept the browser init in the chunks
 * under .next/static (a build from before install has none, and nothing is reported from the
 * page), the Node SDK must never be there (the server init in the client bundle would be a bug
 * of ours), and the chunks' source maps (productionBrowserSourceMaps) let listen and serve show
 * the original file and line. No build yet: nothing to check, `checkNextBuild` says the same.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fail, pass, warn, type Check } from '../../../doctor/check.js';
import type { DoctorContext } from '../../../doctor/context.js';
import { nodeBuildCommand } from '../package-managers.js';

/** What each SDK's built code names itself in the events it sends: it survives minification. */
export const BROWSER_SDK_MARK = '"ez-pixel-browser"';
export const NODE_SDK_MARK = '"ez-pixel-node"';

export async function chunkFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile() && /\.(js|map)$/.test(entry.name)).map((entry) => join(entry.parentPath, entry.name));
}

export async function checkNextClientBuild(context: DoctorContext): Promise<Check[]> {
  const { root, packageManager } = context.project;
  const staticDir = join(root, '.next', 'static');
  if (!existsSync(join(root, '.next', 'BUILD_ID')) || !existsSync(staticDir)) return [];
  const files = await chunkFiles(staticDir);
  const scripts = files.filter((file) => file.endsWith('.js'));
  let browser = false;
  let node = false;
  for (const file of scripts) {
    const text = await readFile(file, 'utf8');
    browser ||= text.includes(BROWSER_SDK_MARK);
    node ||= text.includes(NODE_SDK_MARK);
  }
  const rebuild = `rebuild, then restart: ${nodeBuildCommand(packageManager)}`;
  const bundle = node
    ? fail('client-bundle', 'the Node SDK (@ez-pixel/node) is in the built client chunks under .next/static: the server init must never reach the page', 'import @ez-pixel/node only from instrumentation and ez-pixel.init; then rebuild')
    : browser
      ? pass('client-bundle', 'the built client chunks (.next/static) hold the @ez-pixel/browser init')
      : fail('client-bundle', 'the built client chunks (.next/static) hold no @ez-pixel/browser init: the build predates install, so the pages report nothing', rebuild);
  const maps = files.some((file) => file.endsWith('.js.map'))
    ? pass('source-maps', 'the built client chunks have source maps: events show the original file and line')
    : warn('source-maps', 'the built client chunks have no source maps: browser events show minified frames', 'set productionBrowserSourceMaps: true in next.config, then rebuild');
  return [bundle, maps];
}
