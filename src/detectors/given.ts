/** Evidence and normalisation for what the user passed explicitly (--entry, --pm...). */
import { isAbsolute, relative } from 'node:path';
import type { Evidence } from '../project.js';

export function givenEvidence(about: Evidence['about'], flag: string, value: string): Evidence {
  return { about, says: `${flag} ${value} given` };
}

/** `--entry` relative to the root with `/` separators, whether given relative or absolute. */
export function normalizeEntry(root: string, entry: string): string {
  const rel = isAbsolute(entry) ? relative(root, entry) : entry;
  return rel.replace(/\\/g, '/').replace(/^\.\//, '');
}
