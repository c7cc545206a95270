/** A Vite app runs what its page loads: the wired entry must be one of index.html's module scripts. */
import { join } from 'node:path';
import { fail, pass, type Check } from '../../../doctor/check.js';
import type { DoctorContext } from '../../../doctor/context.js';
import { readText } from '../../../read-text.js';
import { moduleScripts } from '../detect/module-scripts.js';
import { VITE_PAGE } from '../frameworks/vite.js';

export async function checkPageLoadsEntry({ project, wiring }: DoctorContext): Promise<Check> {
  const html = await readText(join(project.root, VITE_PAGE));
  if (html === null) return fail('entry-runs', `${VITE_PAGE} does not exist, so Vite builds no page that runs ${wiring.entry}`, `restore ${VITE_PAGE}`);
  const scripts = moduleScripts(html, VITE_PAGE);
  if (scripts.some((script) => script.path === wiring.entry)) return pass('entry-runs', `${VITE_PAGE} loads ${wiring.entry}`);
  const loaded = scripts.map((script) => script.path).join(', ') || 'no module script';
  return fail(
    'entry-runs',
    `${VITE_PAGE} loads ${loaded}, not ${wiring.entry}, so its init never runs in the page`,
    `load ${wiring.entry} from ${VITE_PAGE}, or wire the page's entry: npx ez-pixel uninstall && npx ez-pixel install`,
  );
}
