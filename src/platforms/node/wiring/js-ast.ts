/**
 * Parsing a single JS/TS file with ts-morph, and the AST questions injection asks of it. ts-morph is
 * imported lazily (it is large; `ez-pixel --help` must never load it) and only ever sees the one file,
 * in memory, with no dependency resolution or type checking.
 */
import type { Node as MorphNode, SourceFile, Statement } from 'ts-morph';
import { lineStartAt } from '../../../inject/lines.js';
import { loadTsMorph } from '../../../load-ts-morph.js';

type Morph = typeof import('ts-morph');

export interface ParsedFile {
  file: SourceFile;
  /** The text the AST indexes: the source without its BOM (ts-morph drops it). */
  text: string;
  /** Added to an AST position to get the offset in the original source (1 when it starts with a BOM). */
  shift: number;
  Node: Morph['Node'];
}

export type ParseResult = { kind: 'parsed'; parsed: ParsedFile } | { kind: 'error'; reason: string };

let parses = 0;
let loaded: { morph: Morph; project: import('ts-morph').Project } | null = null;

async function morphProject(): Promise<{ morph: Morph; project: import('ts-morph').Project }> {
  if (!loaded) {
    const morph = loadTsMorph();
    const project = new morph.Project({
      useInMemoryFileSystem: true,
      skipFileDependencyResolution: true,
      skipAddingFilesFromTsConfig: true,
      skipLoadingLibFiles: true,
      compilerOptions: { allowJs: true, jsx: morph.ts.JsxEmit.Preserve },
    });
    loaded = { morph, project };
  }
  return loaded;
}

/** Parses `text` as the file `entryPath` (its extension picks JS/TS/JSX); a syntax error is a value. */
export async function parseFile(entryPath: string, text: string): Promise<ParseResult> {
  const { morph, project } = await morphProject();
  // A directory per parse: concurrent callers never overwrite each other's file.
  const name = `/entry-${++parses}/${entryPath.split('/').pop() ?? 'entry.ts'}`;
  const shift = text.startsWith('\uFEFF') ? 1 : 0;
  const file = project.createSourceFile(name, text.slice(shift), { overwrite: true });
  const diagnostics = (file.compilerNode as unknown as { parseDiagnostics?: import('ts-morph').ts.Diagnostic[] })
    .parseDiagnostics;
  const first = diagnostics?.[0];
  if (first) {
    const { line, column } = file.getLineAndColumnAtPos(first.start ?? 0);
    const message = morph.ts.flattenDiagnosticMessageText(first.messageText, ' ');
    project.removeSourceFile(file);
    return { kind: 'error', reason: `${entryPath}:${line}:${column}: ${message}` };
  }
  return { kind: 'parsed', parsed: { file, text: text.slice(shift), shift, Node: morph.Node } };
}

/** Frees the parsed file (the in-memory project is reused across calls). */
export function release(parsed: ParsedFile): void {
  if (!parsed.file.wasForgotten()) parsed.file.getProject().removeSourceFile(parsed.file);
}

/** Does this specifier name our init module (any extension; React Router's and SvelteKit's server inits are named .server, React Router's browser one .client)? */
function isInitSpecifier(specifier: string): boolean {
  return /(^|\/)ez-pixel\.init(\.server|\.client)?(\.[cm]?[jt]s)?$/.test(specifier);
}

/** The specifier a node loads: `import … from 'x'`, `export … from 'x'`, `require('x')`, `import('x')`, `import x = require('x')`. */
export function loadedSpecifier(parsed: ParsedFile, node: MorphNode): string | null {
  const { Node } = parsed;
  if (Node.isImportDeclaration(node) || Node.isExportDeclaration(node)) {
    return node.getModuleSpecifierValue() ?? null;
  }
  if (Node.isExternalModuleReference(node)) {
    const expression = node.getExpression();
    return expression && Node.isStringLiteral(expression) ? expression.getLiteralValue() : null;
  }
  if (Node.isCallExpression(node)) {
    const callee = node.getExpression();
    const isRequire = Node.isIdentifier(callee) && callee.getText() === 'require';
    const isDynamicImport = callee.getKindName() === 'ImportKeyword';
    const argument = node.getArguments()[0];
    if ((isRequire || isDynamicImport) && argument) {
      return Node.isStringLiteral(argument) || Node.isNoSubstitutionTemplateLiteral(argument) ? argument.getLiteralValue() : null;
    }
  }
  return null;
}

/** `require(name)`, `import(join(dir, name))`: a load whose path is computed, not written. */
export function loadsComputedPath(parsed: ParsedFile, node: MorphNode): boolean {
  const { Node } = parsed;
  if (!Node.isCallExpression(node)) return false;
  const callee = node.getExpression();
  const loads = (Node.isIdentifier(callee) && callee.getText() === 'require') || callee.getKindName() === 'ImportKeyword';
  const argument = node.getArguments()[0];
  return loads && argument !== undefined && loadedSpecifier(parsed, node) === null;
}

/** Does `node` (or anything inside it) load the init module? */
export function loadsInit(parsed: ParsedFile, node: MorphNode): boolean {
  const own = loadedSpecifier(parsed, node);
  if (own !== null && isInitSpecifier(own)) return true;
  return node.getDescendants().some((child) => {
    const specifier = loadedSpecifier(parsed, child);
    return specifier !== null && isInitSpecifier(specifier);
  });
}

/** Statements after the directive prologue ('use strict', 'use client', …). */
export function statementsAfterDirectives(parsed: ParsedFile, statements: Statement[]): Statement[] {
  const { Node } = parsed;
  let index = 0;
  while (index < statements.length) {
    const statement = statements[index];
    if (!Node.isExpressionStatement(statement) || !Node.isStringLiteral(statement.getExpression())) break;
    index++;
  }
  return statements.slice(index);
}

/** Comments that must stay directly above the line they govern. */
const nextLineDirective = /@ts-(ignore|expect-error)|eslint-disable-next-line|prettier-ignore|biome-ignore|(c8|istanbul|v8) ignore next/;

export type Placement = { kind: 'at'; offset: number; indent: string } | { kind: 'ambiguous'; reason: string };

/**
 * Where a line goes (an offset in the original source) so it runs just before `statement`: the start of the statement's line, above any
 * next-line directive comments attached to it. Ambiguous when the statement shares its line with
 * other code (`'use strict'; import x`), since inserting there would split that line.
 */
export function lineBefore(parsed: ParsedFile, statement: MorphNode): Placement {
  const { text } = parsed;
  let start = statement.getStart();
  let offset = lineStartAt(text, start);
  if (text.slice(offset, start).trim() !== '') {
    return { kind: 'ambiguous', reason: `line ${statement.getStartLineNumber()} holds other code before the statement` };
  }
  const comments = statement.getLeadingCommentRanges();
  for (let i = comments.length - 1; i >= 0; i--) {
    const comment = comments[i];
    if (!comment || !nextLineDirective.test(comment.getText())) break;
    const between = text.slice(comment.getEnd(), offset);
    if (!/^[ \t]*(\r\n|\n|\r)$/.test(between)) break; // not directly above
    start = comment.getPos();
    offset = lineStartAt(text, start);
    if (text.slice(offset, start).trim() !== '') {
      return { kind: 'ambiguous', reason: `line ${statement.getStartLineNumber() - 1} holds code before a directive comment` };
    }
  }
  return { kind: 'at', offset: offset + parsed.shift, indent: text.slice(offset, start) };
}

/** The first line of a node's text, for messages. */
export function firstLine(node: MorphNode): string {
  const line = node.getText().split(/\r\n|\n|\r/)[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

/** The value under a type assertion or parentheses: `x as Config`, `x satisfies Config`, `(x)`. */
export function unwrap(parsed: ParsedFile, node: MorphNode): MorphNode {
  const { Node } = parsed;
  let current = node;
  while (Node.isAsExpression(current) || Node.isSatisfiesExpression(current) || Node.isParenthesizedExpression(current)) current = current.getExpression();
  return current;
}
