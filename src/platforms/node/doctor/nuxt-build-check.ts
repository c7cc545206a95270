/**
 * `node .output/server/index.mjs` serves the last `nuxt build`: one made before install (or before
 * the key changed) runs without our plugins and reports nothing. Bundlers keep string literals, so
 * the init's fallback key in the server chunks shows that it was built in, and each SDK's name in
 * the page's chunks (.output/public) which SDKs reached the browser bundle: ours, never the Node one.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fail, pass, warn, type Check } from '../../../doctor/check.js';
import type { DoctorContext } from '../../../doctor/context.js';
import { nodeBuildCommand } from '../package-managers.js';
import { BROWSER_SDK_MARK, chunkFiles, NODE_SDK_MARK } from './next-client-check.js';

export const NUXT_SERVER = '.output/server/index.mjs';

export async function checkNuxtBuild(context: DoctorContext): Promise<Check | null> {
  const { project, wiring, initSettings } = context;
  if (project.framework !== 'nuxt') return null;
  const rebuild = `${nodeBuildCommand(project.packageManager)} && node ${NUXT_SERVER}`;
  if (!existsSync(join(project.root, NUXT_SERVER))) {
    return warn('build', `there is no build yet (${NUXT_SERVER}): the app serves what nuxt build makes`, `build, then start: ${rebuild}`);
  }
  const key = initSettings.projectKey;
  if (!key) return null; // the init-file check fails already
  const server = await filesHolding(join(project.root, '.output/server/chunks'), /\.mjs$/, [key]);
  if (!server.has(key)) {
    return fail('build', `the .output build was made before ${wiring.entry} (or before the key changed): it runs without it, so nothing is reported`, `rebuild, then restart: ${rebuild}`);
  }
  return pass('build', `the .output build holds ${wiring.entry}`);
}

/** The page's side of the build; no build yet is the server check's warning. */
export async function checkNuxtClientBuild(context: DoctorContext): Promise<Check[]> {
  const { root, packageManager } = context.project;
  if (!existsSync(join(root, NUXT_SERVER))) return [];
  let browser = false;
  let node = false;
  for (const file of (await chunkFiles(join(root, '.output/public'))).filter((path) => path.endsWith('.js'))) {
    const text = await readFile(file, 'utf8');
    browser ||= BROWSER_SDK_MARK.test(text);
    node ||= NODE_SDK_MARK.test(text);
  }
  if (node) {
    return [fail('client-bundle', 'the Node SDK (@ez-pixel/node) is in the page\'s chunks under .output/public: server code reached the browser bundle', 'import @ez-pixel/node only from server/ files; then rebuild')];
  }
  if (browser) return [pass('client-bundle', "the page's chunks (.output/public) hold the @ez-pixel/browser plugin")];
  const rebuild = `rebuild, then restart: ${nodeBuildCommand(packageManager)} && node ${NUXT_SERVER}`;
  return [fail('client-bundle', "the page's chunks (.output/public) hold no @ez-pixel/browser plugin: the build predates install, so the pages report nothing", rebuild)];
}

/** Which of `needles` the files under `dir` matching `pattern` hold. */
async function filesHolding(dir: string, pattern: RegExp, needles: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  let entries: string[];
  try {
    entries = (await readdir(dir, { recursive: true })).filter((path) => pattern.test(path) && !path.split('/').includes('node_modules'));
  } catch {
    return found;
  }
  for (const path of entries) {
    const text = await readFile(join(dir, path), 'utf8').catch(() => '');
    for (const needle of needles) if (text.includes(needle)) found.add(needle);
    if (found.size === needles.length) break;
  }
  return found;
}
