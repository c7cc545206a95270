/** An entry install created whole (Next's instrumentation file, Nuxt's server plugin) and its removal. */
import type { Removal } from '../../../inject/index.js';

/** Our text at the head of the file (in either line ending): deleted, or only what the user added below it kept. Null: not ours as written. */
export function removeCreatedHead(source: string, created: string): Removal | null {
  for (const eol of ['\n', '\r\n']) {
    const ours = created.replace(/\n/g, eol);
    if (source.startsWith(ours)) {
      const rest = source.slice(ours.length);
      return { kind: 'remove', after: rest.trim() === '' ? null : rest };
    }
  }
  return null;
}
