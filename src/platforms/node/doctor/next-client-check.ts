/**
 * The built client of a Next.js app (and, through checkClientChunks, of other full-stack frameworks): `next build` must have kept the browser init in the chunks
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

/** What each SDK's built code names itself in the events it sends: it survives minification (Vite 8's writes it in backquotes). */
export const BROWSER_SDK_MARK = /["'`]ez-pixel-browser["'`]/;
export const NODE_SDK_MARK = /["'`]ez-pixel-node["'`]/;

export async function chunkFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile() && /\.(js|map)$/.test(entry.name)).map((entry) => join(entry.parentPath, entry.name));
}

export async function checkNextClientBuild(context: DoctorContext): Promise<Check[]> {
  const { root } = context.project;
  if (!existsSync(join(root, '.next', 'BUILD_ID'))) return [];
  return checkClientChunks(context, {
    dir: '.next/static',
    nodeFix: 'import @ez-pixel/node only from instrumentation and ez-pixel.init; then rebuild',
    mapsFix: 'set productionBrowserSourceMaps: true in next.config, then rebuild',
  });
}

/**
 * A full-stack framework's built client chunks under `where.dir`: they hold the browser init and
 * never the Node SDK, and have source maps. No such folder (not built yet): nothing to check.
 */
export async function checkClientChunks(context: DoctorContext, where: { dir: string; nodeFix: string; mapsFix: string }): Promise<Check[]> {
  const { root, packageManager } = context.project;
  const dir = join(root, ...where.dir.split('/'));
  if (!existsSync(dir)) return [];
  const files = await chunkFiles(dir);
  const scripts = files.filter((file) => file.endsWith('.js'));
  let browser = false;
  let node = false;
  for (const file of scripts) {
    const text = await readFile(file, 'utf8');
    browser ||= BROWSER_SDK_MARK.test(text);
    node ||= NODE_SDK_MARK.test(text);
  }
  const rebuild = `rebuild, then restart: ${nodeBuildCommand(packageManager)}`;
  const bundle = node
    ? fail('client-bundle', `the Node SDK (@ez-pixel/node) is in the built client chunks under ${where.dir}: the server init must never reach the page`, where.nodeFix)
    : browser
      ? pass('client-bundle', `the built client chunks (${where.dir}) hold the @ez-pixel/browser init`)
      : fail('client-bundle', `the built client chunks (${where.dir}) hold no @ez-pixel/browser init: the build predates install, so the pages report nothing`, rebuild);
  const maps = files.some((file) => file.endsWith('.js.map'))
    ? pass('source-maps', 'the built client chunks have source maps: events show the original file and line')
    : warn('source-maps', 'the built client chunks have no source maps: browser events show minified frames', where.mapsFix);
  return [bundle, maps];
}
