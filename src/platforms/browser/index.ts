/**
 * What exists of the browser platform before it has a Platform value: a browser app is detected
 * and left out (browser-app.ts), and doctor checks the app's own build has source maps.
 */
import { ProjectFiles } from '../../detectors/project-files.js';
import type { Check } from '../../doctor/check.js';
import { browserAppReason } from './browser-app.js';
import { checkSourceMaps } from './doctor/source-maps-check.js';

/** doctor's checks for a directory that holds a browser app and nothing to instrument. */
export async function browserAppChecks(root: string): Promise<Check[]> {
  if (!(await browserAppReason(new ProjectFiles(root)))) return [];
  const maps = await checkSourceMaps(root);
  return maps ? [maps] : [];
}
