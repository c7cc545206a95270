/**
 * Whole lines that load a full-stack framework's client init, placed through the AST: an import
 * first after the directive prologue ('use client' stays first), and a JSX element as the first
 * line inside an element (the root layout's <body>, or <html> when `<body>{children}</body>` is
 * one line). Nothing is inserted where the line would have to split code; that is a `manual`
 * answer with the reason.
 */
import type { Node as MorphNode } from 'ts-morph';
import { indentationAt, insertLines, lineEndingOf, lineStartAt, type LineInsertion } from '../../../inject/lines.js';
import { lineBefore, loadedSpecifier, parseFile, release, statementsAfterDirectives, type ParsedFile } from './js-ast.js';

export type ClientLinePlacement = { after: string } | { present: true } | { manual: string };

const clientSpecifier = /(^|\/)ez-pixel\.client(\.[cm]?[jt]sx?)?$/;

function loadsClientInit(parsed: ParsedFile): boolean {
  return parsed.file.getStatements().some((statement) => {
    const specifier = loadedSpecifier(parsed, statement);
    return specifier !== null && clientSpecifier.test(specifier);
  });
}

/** Where the import goes: before the first statement after the directives, or at the end of a file holding none. */
function topInsertion(parsed: ParsedFile, source: string, line: string): LineInsertion | { manual: string } {
  const first = statementsAfterDirectives(parsed, parsed.file.getStatements())[0];
  const placement = first ? lineBefore(parsed, first) : { kind: 'at' as const, offset: source.length, indent: '' };
  if (placement.kind === 'ambiguous') return { manual: `cannot place the import safely: ${placement.reason}` };
  return { offset: placement.offset, lines: [placement.indent + line] };
}

/** Parses the file and, unless it loads the client init already, asks `place` for the new text. */
async function placeIn(path: string, source: string, place: (parsed: ParsedFile) => ClientLinePlacement): Promise<ClientLinePlacement> {
  const result = await parseFile(path, source);
  if (result.kind === 'error') return { manual: `cannot parse it (${result.reason})` };
  const { parsed } = result;
  try {
    return loadsClientInit(parsed) ? { present: true } : place(parsed);
  } finally {
    release(parsed);
  }
}

export function addLineAtTop(path: string, source: string, line: string): Promise<ClientLinePlacement> {
  return placeIn(path, source, (parsed) => {
    const insertion = topInsertion(parsed, source, line);
    return 'manual' in insertion ? insertion : { after: insertLines(source, [insertion], lineEndingOf(source)) };
  });
}

/** The import at the top, and `element` as the first line inside the first of `tags` whose one `<tag …>` ends its line. */
export function addLineAfterOpening(path: string, source: string, importLine: string, tags: string[], element: string): Promise<ClientLinePlacement> {
  return placeIn(path, source, (parsed) => {
    const top = topInsertion(parsed, source, importLine);
    if ('manual' in top) return top;
    const places = tags.map((tag) => lineInside(parsed, tag, element));
    const inside = places.find((place): place is LineInsertion => !('manual' in place));
    if (!inside) return { manual: places.map((place) => ('manual' in place ? place.manual : '')).join(', and ') };
    return { after: insertLines(source, [top, inside], lineEndingOf(source)) };
  });
}

/** The line after `<tag …>` when that opening tag ends its line, indented as the element's children are. */
function lineInside(parsed: ParsedFile, tag: string, element: string): LineInsertion | { manual: string } {
  const { Node, text } = parsed;
  const elements = parsed.file.getDescendants().filter((node): node is import('ts-morph').JsxElement => Node.isJsxElement(node) && node.getOpeningElement().getTagNameNode().getText() === tag);
  const only = elements[0];
  if (!only || elements.length > 1) return { manual: `it has ${elements.length === 0 ? 'no' : 'more than one'} <${tag}> element` };
  const opening: MorphNode = only.getOpeningElement();
  const end = opening.getEnd();
  const lineEnd = /\r\n|\n|\r/.exec(text.slice(end));
  if (!lineEnd || text.slice(end, end + lineEnd.index).trim() !== '') return { manual: `<${tag}> shares its line with other code` };
  const next = end + lineEnd.index + lineEnd[0].length;
  const outer = indentationAt(text, lineStartAt(text, opening.getStart()));
  const childIndent = indentationAt(text, next);
  const indent = childIndent.length > outer.length ? childIndent : `${outer}${outer.includes('\t') ? '\t' : '  '}`;
  return { offset: next + parsed.shift, lines: [indent + element] };
}
