/**
 * Byte-preserving text edits. Parsers only tell us *where*; these functions do the splicing, so
 * every byte we did not add stays as it was (BOM, CRLF, tabs, a missing final newline).
 */

export type LineEnding = '\r\n' | '\n' | '\r';

/** The file's own line ending (its first one); '\n' for a file without any. */
export function lineEndingOf(text: string): LineEnding {
  const match = /\r\n|\n|\r/.exec(text);
  return (match?.[0] as LineEnding | undefined) ?? '\n';
}

/** Start of the line holding `pos`, never before a leading BOM. */
export function lineStartAt(text: string, pos: number): number {
  let start = pos;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  return start === 0 && text.startsWith('\uFEFF') ? 1 : start;
}

/** Offsets where each 1-based line starts, counting \r\n, \n and \r as breaks (as Python's tokenizer does). */
export function lineStarts(text: string): number[] {
  const starts = [text.startsWith('\uFEFF') ? 1 : 0];
  const breaks = /\r\n|\n|\r/g;
  for (let match = breaks.exec(text); match; match = breaks.exec(text)) starts.push(match.index + match[0].length);
  return starts;
}

/** The leading spaces and tabs of the line starting at `lineStart`. */
export function indentationAt(text: string, lineStart: number): string {
  return /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
}

export interface LineInsertion {
  /** A line start, or text.length to append. */
  offset: number;
  lines: string[];
}

/**
 * Inserts whole lines. At the end of a file without a final newline the lines go after a new line
 * break instead, so the file still ends without one (and removal can restore it exactly).
 */
export function insertLines(text: string, insertions: LineInsertion[], eol: LineEnding): string {
  let result = text;
  for (const { offset, lines } of [...insertions].sort((a, b) => b.offset - a.offset)) {
    const block = lines.join(eol);
    const content = text.replace(/^\uFEFF/, '');
    const appendsAfterUnterminatedLine = offset === text.length && content.length > 0 && !/[\r\n]$/.test(content);
    const inserted = appendsAfterUnterminatedLine ? eol + block : block + eol;
    result = result.slice(0, offset) + inserted + result.slice(offset);
  }
  return result;
}

/**
 * A line as a formatter would leave it recognisable: trimmed, one quote style, no semicolon before a
 * trailing comment, one space before it. Prettier or black touching our line does not make it the user's.
 */
export function lineKey(line: string): string {
  return line
    .trim()
    .replace(/"/g, "'")
    .replace(/;?\s*(\/\/|#) ez-pixel$/, ' $1 ez-pixel');
}

export type LineRemoval = { kind: 'removed'; after: string; count: number } | { kind: 'edited'; lines: string[] };

/**
 * Removes every whole line `isOurs` recognises, with its line break (for a last line without one,
 * the break before it). A line that still carries our marker but is not ours was edited by the
 * user: then nothing is removed and those lines are returned.
 */
export function removeLines(text: string, isOurs: (line: string) => boolean, marked: RegExp): LineRemoval {
  const parts = text.split(/(\r\n|\n|\r)/); // [line, eol, line, eol, ..., lastLine]
  const kept: string[] = [];
  const edited: string[] = [];
  let count = 0;
  for (let i = 0; i < parts.length; i += 2) {
    const line = parts[i] ?? '';
    const eol = parts[i + 1] ?? '';
    if (isOurs(line.replace(/^\uFEFF/, ''))) {
      count++;
      if (line.startsWith('\uFEFF')) kept.push('\uFEFF');
      if (eol === '' && kept.length > 0 && /[\r\n]$/.test(kept[kept.length - 1] ?? '')) {
        kept[kept.length - 1] = (kept[kept.length - 1] ?? '').replace(/(\r\n|\n|\r)$/, '');
      }
      continue;
    }
    if (marked.test(line)) edited.push(line.trim());
    kept.push(line + eol);
  }
  if (edited.length > 0) return { kind: 'edited', lines: edited };
  return { kind: 'removed', after: kept.join(''), count };
}
