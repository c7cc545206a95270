// spec/fingerprint.md, to the byte: pick a frame, build the key, hash it.
import { nodeCrypto } from './on-demand-builtins.js';

export interface FingerprintFrame {
  file: string;
  line: number;
  fn: string;
  in_app: boolean;
  /** The raw text of line `line` of `file`, or null when it cannot be read. */
  source: string | null;
}

export interface FingerprintInput {
  kind: 'error' | 'message';
  type: string;
  message: string;
  frames: FingerprintFrame[];
  logger: string | null;
}

/** Only these six characters: `String.prototype.trim` would also remove U+00A0 and friends. */
const EDGE_WHITESPACE = /^[\t\n\v\f\r ]+|[\t\n\v\f\r ]+$/g;

export function strip(text: string): string {
  return text.replace(EDGE_WHITESPACE, '');
}

/** The innermost in-app frame, else the innermost frame, else none. */
export function pickFrame<T extends { in_app: boolean }>(frames: T[]): T | undefined {
  return frames.find((frame) => frame.in_app) ?? frames[0];
}

export function fingerprintKey(input: FingerprintInput): string {
  const frame = pickFrame(input.frames);
  let file = '';
  let fn = '';
  let detail: string;
  if (input.kind === 'message') {
    if (input.logger !== null) file = `logger:${input.logger}`;
    else if (frame) ({ file, fn } = frame);
    detail = `message:${input.message}`;
  } else if (frame) {
    ({ file, fn } = frame);
    const source = frame.source === null ? '' : strip(frame.source);
    detail = source !== '' ? source : `line:${frame.line}`;
  } else {
    detail = `message:${input.message}`;
  }
  return `${input.type}\u0000${file}\u0000${fn}\u0000${detail}`;
}

/** Node's UTF-8 encoder already turns lone surrogates into U+FFFD, as the spec asks. */
export function fingerprint(input: FingerprintInput): string {
  return nodeCrypto().createHash('sha256').update(fingerprintKey(input), 'utf8').digest('hex').slice(0, 16);
}
