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
  const unwired = [...pages.texts.keys(), ...pages.followUps.map((followUp) => followUp.page)];
  if (unwired.length === 0) return pass('streamlit-pages', `every page in pages/ loads ${wiring.specifier}`);
  const byHand = pages.followUps.map((followUp) => `${followUp.reason}: ${followUp.snippet}`);
  return fail(
    'streamlit-pages',
    `${unwired.join(', ')} ${unwired.length === 1 ? 'does' : 'do'} not load ${wiring.specifier}, so a fresh server that opens ${unwired.length === 1 ? 'it' : 'one'} first reports nothing`,
    byHand.length > 0 ? byHand.join('; ') : 'npx ez-pixel install (a re-run wires the new pages)',
  );
}
