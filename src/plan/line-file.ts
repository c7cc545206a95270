/**
 * Adding and taking back whole lines in line-oriented files (.env, requirements.txt) without
 * touching any other byte: the file's line ending is kept, and a file that had no trailing
 * newline keeps having none, so removing the line gives back the exact bytes.
 */

export function lineEnding(content: string): '\r\n' | '\n' {
  return content.includes('\r\n') ? '\r\n' : '\n';
}

/** `content` (null when the file does not exist) with `line` appended. */
export function appendLine(content: string | null, line: string): string {
  if (content === null || content === '') return `${line}\n`;
  const eol = lineEnding(content);
  if (content.endsWith('\n')) return `${content}${line}${eol}`;
  return `${content}${eol}${line}`;
}

/** Splits into lines that keep their terminators, so joining them gives the content back. */
function splitKeepingEndings(content: string): string[] {
  return content.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function withoutEnding(line: string): string {
  return line.replace(/\r?\n$/, '');
}

/** `content` without the first line equal to `line`, or null when no line matches. */
export function removeLine(content: string, line: string): string | null {
  const lines = splitKeepingEndings(content);
  const index = lines.findIndex((candidate) => withoutEnding(candidate) === line);
  if (index === -1) return null;
  const removed = lines[index] as string;
  lines.splice(index, 1);
  const isLastWithoutEnding = index === lines.length && !removed.endsWith('\n');
  if (isLastWithoutEnding && index > 0) {
    // appendLine added the previous line's ending; take it back too.
    lines[index - 1] = withoutEnding(lines[index - 1] as string);
  }
  return lines.join('');
}

/** `content` with the first line equal to `oldLine` replaced by `newLine`, or null when none matches. */
export function replaceLine(content: string, oldLine: string, newLine: string): string | null {
  const lines = splitKeepingEndings(content);
  const index = lines.findIndex((candidate) => withoutEnding(candidate) === oldLine);
  if (index === -1) return null;
  const current = lines[index] as string;
  lines[index] = newLine + current.slice(withoutEnding(current).length);
  return lines.join('');
}

export function hasLine(content: string | null, line: string): boolean {
  return content !== null && splitKeepingEndings(content).some((candidate) => withoutEnding(candidate) === line);
}
