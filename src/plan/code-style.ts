/**
 * The lines install writes, in the project's style: its formatter's output when it has one
 * (formatter.ts), else the quotes and semicolons of the file being edited. A file install created
 * is formatted whole; in a file it edited only the lines it inserted change, and only when the
 * file was already formatted (so every byte of the user's stays as it was).
 */
import { extname } from 'node:path';
import { formattable, type Formatter } from './formatter.js';
import type { FileEdit } from './plan.js';

interface Style {
  quote: "'" | '"';
  semicolons: boolean;
}

const marker = /\/\/ ez-pixel/;
const scripts = /\.(c|m)?(j|t)sx?$/;

/** The quotes of its import/require specifiers and whether those statements end with a semicolon; null when it has none. */
export function styleOf(text: string): Style | null {
  const statements = [...text.matchAll(/^(?:import\b[^\n]*?\bfrom\s*|import\s*|(?:const|let|var)\s[^=\n]*=\s*require\()(['"])[^'"\n]*\1\)?(;?)[ \t]*(?:\/\/[^\n]*)?$/gm)].filter(
    (match) => !marker.test(match[0]),
  );
  if (statements.length === 0) return null;
  const doubles = statements.filter((match) => match[1] === '"').length;
  const withSemicolon = statements.filter((match) => match[2] === ';').length;
  return { quote: doubles * 2 > statements.length ? '"' : "'", semicolons: withSemicolon * 2 >= statements.length };
}

/** Our own line (single quotes, semicolons, no string holding a quote) in `style`. */
export function inStyle(line: string, style: Style): string {
  let result = style.quote === '"' ? line.replace(/'/g, '"') : line;
  if (!style.semicolons) result = result.replace(/;(\s*(?:\/\/.*)?)$/, '$1');
  return result;
}

/**
 * The edits, in the project's style. `owned`: files install created (now or on an earlier run),
 * formatted whole; `styleSource`: the entry's text, whose style a created file follows without a formatter.
 */
export async function styleEdits(formatter: Formatter | null, edits: FileEdit[], owned: Set<string>, styleSource: string | null): Promise<FileEdit[]> {
  const fallback = styleSource === null ? null : styleOf(styleSource);
  const styled: FileEdit[] = [];
  for (const edit of edits) styled.push(await styleEdit(edit, formatter, fallback, owned.has(edit.path) || edit.before === null));
  return styled;
}

async function styleEdit(edit: FileEdit, formatter: Formatter | null, fallback: Style | null, ours: boolean): Promise<FileEdit> {
  const { before, after } = edit;
  if (after === null || !scripts.test(extname(edit.path))) return edit;
  if (ours) {
    if (formatter) return { ...edit, after: await formatter.format(edit.path, after) };
    return fallback ? { ...edit, after: after.split('\n').map((line) => restyleOurs(line, fallback)).join('\n') } : edit;
  }
  if (before === null) return edit;
  if (formatter && formattable.test(edit.path) && (await formatter.format(edit.path, before)) === before) {
    const formatted = await formatter.format(edit.path, after);
    // Accepted only when the formatter changed nothing but our (marked) lines.
    if (withoutOurLines(formatted) === before) return { ...edit, after: formatted };
  }
  const style = styleOf(before) ?? fallback;
  if (!style) return edit;
  const lines = after.split(/(\r\n|\n|\r)/);
  const beforeLines = new Set(before.split(/\r\n|\n|\r/));
  return { ...edit, after: lines.map((line) => (marker.test(line) && !beforeLines.has(line) ? inStyle(line, style) : line)).join('') };
}

/** Our generated files mark nothing per line: restyle every line but comments. */
function restyleOurs(line: string, style: Style): string {
  return /^\s*\/\//.test(line) ? line : inStyle(line, style);
}

function withoutOurLines(text: string): string {
  return text
    .split(/(?<=\r\n|\n|\r)/)
    .filter((line) => !marker.test(line))
    .join('');
}
