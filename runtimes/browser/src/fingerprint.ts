// spec/fingerprint.md, to the byte. A browser has no source text for its frames, so an error's
// detail is `line:<n>` of the bundle; spec/fingerprint.md "Browser events" says how the ingest
// makes that stable across deploys.
import { sha256Hex } from './sha256.js';

export interface FingerprintInput {
  kind: 'error' | 'message';
  type: string;
  message: string;
  frames: { file: string; line: number; fn: string; in_app: boolean; source: string | null }[];
  logger: string | null;
}

export function fingerprintKey({ kind, type, message, frames, logger }: FingerprintInput): string {
  const frame = frames.find((f) => f.in_app) ?? frames[0];
  // Only these six characters: String.prototype.trim would also remove U+00A0 and friends.
  const source = frame?.source?.replace(/^[\t\n\v\f\r ]+|[\t\n\v\f\r ]+$/g, '');
  const where = logger !== null && kind === 'message' ? ['logger:' + logger, ''] : frame ? [frame.file, frame.fn] : ['', ''];
  const detail = kind === 'message' || !frame ? 'message:' + message : source || 'line:' + frame.line;
  return [type, ...where, detail].join('\0');
}

/** TextEncoder replaces each lone surrogate with U+FFFD, as the spec asks. */
export function fingerprint(input: FingerprintInput): string {
  return sha256Hex(new TextEncoder().encode(fingerprintKey(input))).slice(0, 16);
}
