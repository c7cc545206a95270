/**
 * Reading project files as text without losing a byte. A file that is not valid UTF-8 (a Latin-1
 * comment, a cp1252 string) is decoded with each undecodable byte b kept as the lone surrogate
 * U+DC00+b (Python's "surrogateescape"), and encodeText turns such text back into the very same
 * bytes. So a plan can edit any file as a string and write back every byte it did not add.
 */
import { readFile } from 'node:fs/promises';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The file's text (see above), or null when there is no such file; other errors are thrown. */
export async function readText(path: string): Promise<string | null> {
  try {
    return decodeText(await readFile(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
}

/** UTF-8 where the bytes are UTF-8; every other byte b becomes U+DC00+b. A BOM is kept. */
export function decodeText(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return decodeEscaping(bytes);
  }
}

/** The bytes decodeText read `text` from; text without escaped bytes is plain UTF-8. */
export function encodeText(text: string): Buffer {
  if (!hasEscapedBytes(text)) return Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    parts.push(code >= 0xdc80 && code <= 0xdcff ? Buffer.of(code - 0xdc00) : Buffer.from(char, 'utf8'));
  }
  return Buffer.concat(parts);
}

/** True when the text holds bytes that were not UTF-8 (lone low surrogates U+DC80–U+DCFF). */
export function hasEscapedBytes(text: string): boolean {
  return /(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/.test(text);
}

/** Length of the well-formed UTF-8 sequence at `i` (Unicode table 3-7), or 0 when there is none. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const lead = bytes[i] as number;
  const within = (offset: number, low = 0x80, high = 0xbf): boolean => {
    const byte = bytes[i + offset];
    return byte !== undefined && byte >= low && byte <= high;
  };
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return within(1) ? 2 : 0;
  if (lead >= 0xe0 && lead <= 0xef) {
    const second = lead === 0xe0 ? within(1, 0xa0) : lead === 0xed ? within(1, 0x80, 0x9f) : within(1);
    return second && within(2) ? 3 : 0;
  }
  if (lead >= 0xf0 && lead <= 0xf4) {
    const second = lead === 0xf0 ? within(1, 0x90) : lead === 0xf4 ? within(1, 0x80, 0x8f) : within(1);
    return second && within(2) && within(3) ? 4 : 0;
  }
  return 0;
}

function decodeEscaping(bytes: Uint8Array): string {
  let text = '';
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length === 0) {
      text += String.fromCharCode(0xdc00 + (bytes[i] as number));
      i += 1;
    } else {
      text += Buffer.from(bytes.subarray(i, i + length)).toString('utf8');
      i += length;
    }
  }
  return text;
}
