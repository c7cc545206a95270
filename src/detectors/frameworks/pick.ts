/** Runs a runtime's framework detectors in registry order, or takes the framework the user forced. */
import type { Evidence, Framework } from '../../project.js';
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
