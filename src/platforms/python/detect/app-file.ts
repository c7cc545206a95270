/**
 * Picks the file that defines a web app among conventional candidates: the first that matches
 * the framework's constructor (e.g. `Flask(`), else the first that exists.
 */
import type { ProjectFiles } from '../../../detectors/project-files.js';
import { found, type EntryOutcome } from '../../../detectors/types.js';

export async function appFile(files: ProjectFiles, candidates: string[], defines: RegExp, what: string): Promise<EntryOutcome> {
  const unique = [...new Set(candidates)];
  const texts = await Promise.all(unique.map((file) => files.text(file)));
  const defining = unique.findIndex((_, i) => texts[i] !== null && defines.test(texts[i]!));
  if (defining !== -1) {
    return found(unique[defining]!, [{ about: 'entry', says: `${unique[defining]} defines the ${what}` }]);
  }
  const existing = unique.findIndex((_, i) => texts[i] !== null);
  if (existing !== -1) {
    return found(unique[existing]!, [{ about: 'entry', says: `${unique[existing]} is a conventional ${what} path` }]);
  }
  return found(null, [{ about: 'entry', says: `none of ${unique.slice(0, 6).join(', ')} exists` }]);
}
