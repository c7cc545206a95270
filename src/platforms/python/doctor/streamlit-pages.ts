/**
 * Streamlit only: every page in pages/ loads the init itself (a fresh server runs only the page a
 * visitor opens). A page added after install does not, until install runs again.
 */
import { join } from 'node:path';
import { fail, pass, type Check } from '../../../doctor/check.js';
import type { DoctorContext } from '../../../doctor/context.js';
import { readText } from '../../../read-text.js';
import { unwiredStreamlitPages } from '../wiring/index.js';

export async function checkStreamlitPages(context: DoctorContext): Promise<Check | null> {
  const { project, wiring } = context;
  const pages = await unwiredStreamlitPages(project, wiring, (path) => readText(join(project.root, path)));
  if (pages === null) return null;
  const unwired = [...pages.texts.keys(), ...pages.followUps.map((followUp) => followUp.reason)];
  if (unwired.length === 0) return pass('streamlit-pages', `every page in pages/ loads ${wiring.specifier}`);
  return fail(
    'streamlit-pages',
    `${unwired.join('; ')}: ${unwired.length === 1 ? 'this page does' : 'these pages do'} not load ${wiring.specifier}, so its errors are lost when a fresh server opens it first`,
    'npx ez-pixel install (a re-run wires the new pages)',
  );
}
