/**
 * `node .output/server/index.mjs` serves the last `nuxt build`: one made before install (or before
 * the key changed) runs without our plugins and reports nothing. Bundlers keep string literals, so
 * the init's fallback key in the server chunks shows that it was built in, and each SDK's name in
 * the page's chunks (.output/public) which SDKs reached the browser bundle: ours, never the Node one.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fail, pass, warn, type Check } from '../../../doctor/check.js';
import type { DoctorContext } from '../../../doctor/context.js';
import { nodeBuildCommand } from '../package-managers.js';
import { checkClientChunks } from './client-chunks.js';
import { filesHolding } from './react-router-build.js';

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
  if ((await filesHolding(project.root, '.output/server/chunks', [key])).length === 0) {
    return fail('build', `the .output build was made before ${wiring.entry} (or before the key changed): it runs without it, so nothing is reported`, `rebuild, then restart: ${rebuild}`);
  }
  return pass('build', `the .output build holds ${wiring.entry}`);
}

/** The page's side of the build; no build yet is the server check's warning. Nuxt's client maps are off by default and listen does not read .output/public: no maps check. */
export async function checkNuxtClientBuild(context: DoctorContext): Promise<Check[]> {
  const { root, packageManager } = context.project;
  if (!existsSync(join(root, NUXT_SERVER))) return [];
  return checkClientChunks(root, {
    dir: '.output/public',
    nodeOnlyFrom: 'server/ files',
    mapsSwitch: null,
    rebuild: `rebuild, then restart: ${nodeBuildCommand(packageManager)} && node ${NUXT_SERVER}`,
  });
}
