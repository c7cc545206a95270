/**
 * The lines install writes, in the project's style: its formatter's output when it has one
 * (formatter.ts), else the quotes and semicolons of the file being edited. A file install created
 * is formatted whole; in a file it edited only the lines it inserted change, and only when the
 * file was already formatted (so every byte of the user's stays as it was).
 */
import { extname } from 'node:path';
import { loadTsMorph } from '../load-ts-morph.js';
import { formattable, type Formatter } from './formatter.js';
import type { FileEdit } from './plan.js';

interface Style {
  quote: "'" | '"';
  semicolons: boolean;
}

const marker = /\/\/ ez-pixel/;
const scripts = /\.(c|m)?(j|t)sx?$/;

/** JS or TS by its extension, or an extensionless Node script (Express's bin/www) by its shebang. */
function isScript(path: string, text: string): boolean {
  const extension = extname(path);
  return scripts.test(extension) || (extension === '' && /^#!.*\bnode\b/.test(text));
}

/** The quotes of its import/require specifiers and whether those statements end with a semicolon; null when it has none. */
export function styleOf(text: string): Style | null {
  // A CRLF line ends in \r before the $ of the m flag; the file's first line may start with a BOM.
  const statements = [...text.matchAll(/^\uFEFF?(?:import\b[^\n]*?\bfrom\s*|import\s*|(?:const|let|var)\s[^=\n]*=\s*require\()(['"])[^'"\n]*\1\)?(;?)[ \t]*(?:\/\/[^\n\r]*)?\r?$/gm)].filter(
    (match) => !marker.test(match[0]),
  );
  if (statements.length === 0) return null;
  const doubles = statements.filter((match) => match[1] === '"').length;
  const withSemicolon = statements.filter((match) => match[2] === ';').length;
  return { quote: doubles * 2 > statements.length ? '"' : "'", semicolons: withSemicolon * 2 >= statements.length };
}

/** Our own code (single quotes, semicolons) in `style`. */
export function inStyle(code: string, style: Style): string {
  const quoted = style.quote === '"' ? withDoubleQuotes(code) : code;
  if (style.semicolons) return quoted;
  return quoted
    .split(/(?<=\n)/)
    .map((line) => (/^\s*\/\//.test(line) ? line : line.replace(/;([ \t]*(?:\/\/.*)?\r?\n?)$/, '$1')))
    .join('');
}

/**
 * Swaps the quotes of string literals only: a quote inside a regex literal, a comment or another
 * string keeps its byte (the init's .env pattern matches '…' values; swapping every ' broke it).
 * A literal whose text holds a double quote or an escape stays single-quoted.
 */
function withDoubleQuotes(code: string): string {
  const { ts } = loadTsMorph();
  const source = ts.createSourceFile('style.ts', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const literals: { start: number; end: number }[] = [];
  const visit = (node: import('ts-morph').ts.Node): void => {
    if (ts.isStringLiteral(node)) {
      const start = node.getStart(source);
      const body = code.slice(start + 1, node.end - 1);
      if (code[start] === "'" && !/["\\]/.test(body)) literals.push({ start, end: node.end });
    }
    node.forEachChild(visit);
  };
  visit(source);
  let result = code;
  for (const { start, end } of literals.reverse()) {
    result = `${result.slice(0, start)}"${result.slice(start + 1, end - 1)}"${result.slice(end)}`;
  }
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
  // A minified file is a build's output (a static site's copy of the SDK): never reformatted.
  if (after === null || !isScript(edit.path, before ?? after) || edit.path.endsWith('.min.js')) return edit;
  if (ours) {
    if (formatter) return { ...edit, after: await formatter.format(edit.path, after) };
    return fallback ? { ...edit, after: inStyle(after, fallback) } : edit;
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

function withoutOurLines(text: string): string {
  return text
    .split(/(?<=\r\n|\n|\r)/)
    .filter((line) => !marker.test(line))
    .join('');
}
