/**
 * A project with a build step runs its built output, not the entry ez-pixel wired: the init must
 * have survived the build (a bundler with `"sideEffects": false` drops it; a build that copies
 * nothing of src/ loses it). The file the start script (or `main`) runs is read; bundlers keep
 * string literals, so the init's fallback key, or a load of ez-pixel.init, shows it is there.
 */
import { join } from 'node:path';
import { asObject, asString } from '../../../detectors/project-files.js';
import { scriptRun } from '../detect/start-scripts.js';
import { readText } from '../../../read-text.js';
import { fail, pass, warn, type Check } from '../../../doctor/check.js';
import type { DoctorContext } from '../../../doctor/context.js';
import { routerOf } from '../frameworks/routers.js';

export async function checkBuiltOutput(context: DoctorContext): Promise<Check | null> {
  const { project, wiring } = context;
  if (project.runtime !== 'node' || project.framework === 'next' || routerOf(project.framework) || project.framework === 'sveltekit' || project.framework === 'nuxt') return null;
  let pkg: Record<string, unknown> | null = null;
  try {
    pkg = asObject(JSON.parse((await readText(join(project.root, 'package.json'))) ?? 'null'));
  } catch {
    return null; // the manifest check reports an unparseable package.json
  }
  if (!pkg || !asString(asObject(pkg.scripts)?.build)) return null;
  const built = [scriptRun(pkg, 'start')?.path, asString(pkg.main)]
    .filter((path): path is string => typeof path === 'string')
    .map((path) => path.replace(/^\.\//, ''))
    .find((path) => path !== wiring.entry && !path.endsWith('.ts'));
  if (!built) return null;
  const output = await readText(join(project.root, built));
  if (output === null) {
    return warn('build', `${built} (what the app runs after npm run build) does not exist yet`, 'build the project (npm run build), then run ez-pixel doctor again');
  }
  if (holdsInit(output, context)) return pass('build', `${built} (the built output the app runs) still holds the init`);
  return fail(
    'build',
    `${built}, which the app runs, no longer holds the init: the build dropped ${wiring.initFile} (a bundler with "sideEffects": false, or a build that leaves it out)`,
    `list ./${wiring.initFile} in package.json "sideEffects" (npx ez-pixel install does), make the build include it, then rebuild`,
  );
}

/** Bundlers keep string literals: the init's fallback key, or a load of ez-pixel.init, shows it is in the output. */
export function holdsInit(output: string, { initSettings }: DoctorContext): boolean {
  const markers = ['ez-pixel.init', initSettings.projectKey].filter((marker): marker is string => Boolean(marker));
  return markers.some((marker) => output.includes(marker));
}
