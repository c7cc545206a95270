/**
 * doctor's check that a Vue app's own errors are reported: the entry passes every app it makes to
 * reportVueErrors, and vite build's bundle holds the handler (its report text survives
 * minification, and Rollup drops the function when nothing calls it). Only for a Vue app.
 */
import { join } from 'node:path';
import { fail, pass, warn, type Check } from '../../../doctor/check.js';
import type { DoctorContext } from '../../../doctor/context.js';
import { readText } from '../../../read-text.js';
import { findVueApps } from './app-sites.js';
import { dependsOnVue, VUE_HANDLER, VUE_REPORT } from './template.js';
import { vueSnippet } from './wiring.js';

const ID = 'vue-errors';

export async function checkVueErrors({ project, wiring }: DoctorContext, bundle: string): Promise<Check[]> {
  if (!dependsOnVue(project.root)) return [];
  const entry = wiring.entry;
  const inBundle = bundle.includes(VUE_REPORT);
  const fix = `pass the app to ${VUE_HANDLER} in ${entry} (npx ez-pixel install does it):\n${vueSnippet(wiring)}`;
  const source = await readText(join(project.root, entry));
  const apps = source === null ? null : await findVueApps(entry, source);
  if (apps?.kind === 'sites') {
    const unwired = apps.sites.filter((site) => !site.wired).length;
    if (unwired > 0) {
      return [fail(ID, `${entry} makes ${unwired === apps.sites.length ? 'its Vue app' : `${unwired} of its ${apps.sites.length} Vue apps`} without ${VUE_HANDLER}: Vue only logs what its components throw, so those errors never reach ez-pixel`, fix)];
    }
    if (!inBundle) return [fail(ID, `${entry} passes its app to ${VUE_HANDLER}, but vite build's bundle holds no handler: ${wiring.initFile} no longer exports it?`, `npx ez-pixel uninstall && npx ez-pixel install, then rebuild`)];
    return [pass(ID, `${entry} passes its Vue app to ${VUE_HANDLER}, and vite build's bundle holds the handler`)];
  }
  // An app made elsewhere may still be wired by hand: the bundle says so.
  if (inBundle) return [pass(ID, `vite build's bundle holds ${VUE_HANDLER}, which reports Vue's errors`)];
  const why = apps === null ? `${entry} does not exist` : apps.reason;
  if (source !== null && /\.config\.errorHandler\b/.test(source)) return [warn(ID, `${entry} sets its own app.config.errorHandler; ez-pixel cannot tell whether it reports`, fix)];
  return [fail(ID, `Vue's errors are not reported: ${entry}: ${why}`, fix)];
}
