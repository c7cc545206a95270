/** Picks the framework (registry order, or the one the user forced) and then its entry. */
import type { Evidence, Framework } from '../../project.js';
import { chooseEntry, type Choose } from '../detection.js';
import { givenEvidence, normalizeEntry } from '../given.js';
import type { ProjectFiles } from '../project-files.js';
import { recordedEntry } from '../recorded-entry.js';
import type { FrameworkDetector } from '../types.js';

export async function pickFramework<Facts>(
  detectors: FrameworkDetector<Facts>[],
  facts: Facts,
  forced: Framework | undefined,
): Promise<{ detector: FrameworkDetector<Facts>; evidence: Evidence[] }> {
  const chosen = forced ? detectors.find((d) => d.framework === forced) : undefined;
  if (chosen) return { detector: chosen, evidence: [{ about: 'framework', says: `--framework ${forced} given` }] };
  // A framework of the other runtime (--runtime python --framework next) cannot apply: say so, then detect.
  const ignored: Evidence[] = forced ? [{ about: 'framework', says: `--framework ${forced} ignored: it is not a ${detectors[0]?.runtime} framework` }] : [];
  for (const detector of detectors) {
    const evidence = await detector.detect(facts);
    if (evidence) return { detector, evidence: [...ignored, ...evidence] };
  }
  // The registry's last detector always matches; this only guards an empty registry.
  throw new Error('no framework detector matched');
}

export interface PickedEntry {
  entry: string | null;
  evidence: Evidence[];
  /** Found by the framework's detector (not given with --entry, not recorded by a previous install). */
  detected: boolean;
}

/**
 * The entry: the one the user gave (`--entry`), else the one install recorded when it wired the
 * project, else the framework's; several candidates become a question.
 */
export async function pickEntry<Facts extends { files: ProjectFiles }>(
  root: string,
  detector: FrameworkDetector<Facts>,
  facts: Facts,
  given: string | undefined,
): Promise<PickedEntry | Choose> {
  if (given) {
    const entry = normalizeEntry(root, given);
    return { entry, evidence: [givenEvidence('entry', '--entry', entry)], detected: false };
  }
  const recorded = await recordedEntry(facts.files, detector.runtime);
  if (recorded?.exists) return { entry: recorded.entry, evidence: [recorded.evidence], detected: false };
  const found = await detector.entry(facts);
  if ('ambiguous' in found) return chooseEntry(found.ambiguous);
  return { entry: found.found.value, evidence: [...(recorded ? [recorded.evidence] : []), ...found.found.evidence], detected: true };
}
