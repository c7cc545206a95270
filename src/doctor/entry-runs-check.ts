/**
 * Check 6: the wired entry is what actually runs. An init in a file that nothing starts protects
 * nothing. Each platform knows what starts its apps (see its doctor/entry-runs.ts).
 */
import { platformOf } from '../platforms/index.js';
import type { Check } from './check.js';
import type { DoctorContext } from './context.js';

export async function checkEntryRuns(context: DoctorContext): Promise<Check> {
  return platformOf(context.project).checkEntryRuns(context);
}
