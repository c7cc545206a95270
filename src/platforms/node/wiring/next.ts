/**
 * Next.js: wiring lives in instrumentation.ts. A missing file is created whole; an existing one is
 * merged through the AST: our hooks are appended when it has none, our line goes first in the
 * user's own register() otherwise. An existing onRequestError is theirs to extend: the init is
 * still wired and we hand back the lines to add to it rather than wrap their function.
 */
import type { Node as MorphNode, ParameterDeclaration, Statement } from 'ts-morph';
import type { InitWiring } from '../../../templates/index.js';
import type { Injection, LoadOrder, Removal } from '../../../inject/index.js';
import { generatedHeader } from '../templates/node.js';
import { removeCreatedHead } from './created-file.js';
import { sameCode } from './same-code.js';
import { firstLine, lineBefore, loadsInit, parseFile, release, type ParsedFile } from './js-ast.js';
import { indentationAt, insertLines, lineEndingOf, lineKey, lineStartAt, removeLines, type LineInsertion } from '../../../inject/lines.js';

type NextPieces = NonNullable<InitWiring['next']>;

export const jsMarked = /\/\/ ez-pixel(?::|\s*$)/;

function pieces(wiring: InitWiring): NextPieces {
  if (!wiring.next) throw new Error('Next.js injection needs a Next.js wiring (initWiringFor with framework "next")');
  return wiring.next;
}

export async function addNextInit(entryPath: string, source: string | null, wiring: InitWiring): Promise<Injection> {
  const next = pieces(wiring);
  if (source === null) return { kind: 'insert', after: next.created };
  const result = await parseFile(entryPath, source);
  if (result.kind === 'error') {
    return { kind: 'manual', reason: `cannot parse ${entryPath} (${result.reason}); add this to it`, snippet: next.fullBlock.join('\n') };
  }
  const { parsed } = result;
  try {
    const statements = parsed.file.getStatements();
    if (statements.some((statement) => loadsInit(parsed, statement))) return { kind: 'present' };
    const eol = lineEndingOf(source);
    const register = findHook(parsed, statements, 'register');
    const onRequestError = findHook(parsed, statements, 'onRequestError');
    const manualLines = [`// in register():`, next.registerLine, `// in onRequestError(error, request, context):`, ...captureLines];
    if (register?.kind === 'opaque') {
      return { kind: 'manual', reason: `${entryPath} exports a register() we cannot edit; add these lines to your hooks`, snippet: manualLines.join('\n') };
    }
    // Their own onRequestError stays theirs: the init is still wired, and they get the lines to add to it.
    const followUp = onRequestError
      ? { reason: `${entryPath} already exports onRequestError(); add this inside it so request errors are reported`, snippet: captureLines.join('\n') }
      : undefined;
    const withFollowUp = (after: string): Injection => (followUp ? { kind: 'insert', after, followUp } : { kind: 'insert', after });
    if (!register) {
      const block = onRequestError ? next.registerBlock : next.fullBlock;
      return withFollowUp(insertLines(source, [{ offset: source.length, lines: ['', ...block] }], eol));
    }
    const placement = placeInBody(parsed, register.body);
    if (placement.kind === 'ambiguous' || register.asyncAt === null) {
      const reason = placement.kind === 'ambiguous' ? placement.reason : 'register() is not async and declares its return type';
      return { kind: 'manual', reason: `cannot merge into register() in ${entryPath}: ${reason}`, snippet: manualLines.join('\n') };
    }
    const insertions: LineInsertion[] = [{ offset: placement.offset, lines: [placement.indent + next.registerLine] }];
    if (!onRequestError) insertions.push({ offset: source.length, lines: ['', ...next.onRequestErrorBlock] });
    const after = insertLines(source, insertions, eol);
    // Our line awaits the init, so a synchronous register() (the @vercel/otel example) becomes async;
    // the keyword sits before every line insertion, so its offset is still valid in `after`.
    if (register.asyncAt === 'already') return withFollowUp(after);
    const at = register.asyncAt + parsed.shift;
    return withFollowUp(after.slice(0, at) + asyncMarker + after.slice(at));
  } finally {
    release(parsed);
  }
}

/** The statements inside our onRequestError, for users who merge them into theirs by hand. */
const captureLines = [
  "if (process.env.NEXT_RUNTIME === 'nodejs') {",
  "  const { captureRequestError } = await import('@ez-pixel/node');",
  '  await captureRequestError(error, request, context);',
  '}',
];

/** Inserted before `function`/`(` of a synchronous register(); the comment lets uninstall take it out again. */
const asyncMarker = 'async /* ez-pixel */ ';

/** `asyncAt`: 'already' for an async hook, else where `async ` can go, or null when a declared return type forbids it. */
export type Hook = { kind: 'function'; body: MorphNode; parameters: ParameterDeclaration[]; asyncAt: number | 'already' | null } | { kind: 'opaque' };

/** A top-level exported hook: `export async function name() {}`, `export const name = async () => {}`, or something we cannot edit. */
export function findHook(parsed: ParsedFile, statements: Statement[], name: string): Hook | null {
  const { Node } = parsed;
  for (const statement of statements) {
    if (Node.isFunctionDeclaration(statement) && statement.getName() === name) {
      const body = statement.getBody();
      const keyword = statement.getChildren().find((child) => child.getKindName() === 'FunctionKeyword');
      return body && keyword
        ? { kind: 'function', body, parameters: statement.getParameters(), asyncAt: asyncPosition(statement, keyword.getStart()) }
        : { kind: 'opaque' };
    }
    if (Node.isVariableStatement(statement)) {
      const declaration = statement.getDeclarations().find((d) => d.getName() === name);
      if (!declaration) continue;
      const init = declaration.getInitializer();
      if ((Node.isArrowFunction(init) || Node.isFunctionExpression(init)) && Node.isBlock(init.getBody())) {
        return { kind: 'function', body: init.getBody(), parameters: init.getParameters(), asyncAt: asyncPosition(init, init.getStart()) };
      }
      return { kind: 'opaque' };
    }
    if (Node.isExportDeclaration(statement) && statement.getNamedExports().some((e) => (e.getAliasNode() ?? e.getNameNode()).getText() === name)) {
      return { kind: 'opaque' };
    }
  }
  return null;
}

function asyncPosition(fn: { isAsync(): boolean; getReturnTypeNode(): MorphNode | undefined }, start: number): number | 'already' | null {
  if (fn.isAsync()) return 'already';
  return fn.getReturnTypeNode() ? null : start;
}

/** The start of a function body: before its first statement, or inside an empty multi-line `{ }`. */
export function placeInBody(parsed: ParsedFile, body: MorphNode): ReturnType<typeof lineBefore> {
  const { Node, text } = parsed;
  const first = Node.isBlock(body) ? body.getStatements()[0] : undefined;
  if (first) return lineBefore(parsed, first);
  const close = body.getEnd() - 1;
  const closeLine = lineStartAt(text, close);
  if (closeLine <= body.getStart() || text.slice(closeLine, close).trim() !== '') {
    return { kind: 'ambiguous', reason: 'its body is empty and on one line' };
  }
  const outer = indentationAt(text, lineStartAt(text, body.getStart()));
  return { kind: 'at', offset: closeLine + parsed.shift, indent: `${outer}${outer.includes('\t') ? '\t' : '  '}` };
}

export function removeNextInit(source: string, wiring: InitWiring): Removal {
  const next = pieces(wiring);
  // A file we created: our part is its head. Code the user added below it stays; nothing else, we delete it.
  const created = removeCreatedHead(source, next.created);
  if (created) return created;
  let text = source.split(asyncMarker).join('');
  for (const block of [next.fullBlock, next.registerBlock, next.onRequestErrorBlock]) text = removeBlock(text, block);
  text = removeMarkedBlocks(text, [next.fullBlock, next.registerBlock, next.onRequestErrorBlock]);
  // A file we created, reformatted since (prettier, eslint --fix): once our block is out, only our header is left.
  if (text !== source && text.replace(/^\uFEFF/, '').trim() === generatedHeader) return { kind: 'remove', after: null };
  const lines = removeLines(text, (line) => lineKey(line) === lineKey(next.registerLine), jsMarked);
  if (lines.kind === 'edited') {
    return { kind: 'manual', reason: `lines marked ez-pixel were edited after install: ${lines.lines.join(' | ')}`, snippet: lines.lines.join('\n') };
  }
  if (lines.after === source) return { kind: 'absent' };
  return { kind: 'remove', after: lines.after };
}

/**
 * Our blocks by their markers, wherever a formatter has left them (other quotes, semicolons, line
 * breaks): from the `// ez-pixel: begin` line through `// ez-pixel: end`, with the blank line we put
 * before, when what lies between is still our code (same-code.ts); an edited block is left alone.
 */
export function removeMarkedBlocks(text: string, ours: string[][]): string {
  const lines = text.split(/(?<=\r\n|\n|\r)/);
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*\/\/ ez-pixel: begin\b/.test(lines[i] ?? '')) {
      kept.push(lines[i] ?? '');
      continue;
    }
    const end = lines.findIndex((line, j) => j > i && /^\s*\/\/ ez-pixel: end\s*$/.test(line));
    if (end === -1) return text;
    const block = lines.slice(i, end + 1).join('');
    if (!ours.some((lines) => sameCode(block, lines.join('\n')))) return text; // edited by the user: theirs now
    if (kept.length > 0 && (kept[kept.length - 1] ?? '').trim() === '') kept.pop();
    i = end;
  }
  const result = kept.join('');
  // The block was the end of the file: the line break before it was ours too.
  return text.endsWith('\n') || text.endsWith('\r') ? result : result.replace(/(\r\n|\n|\r)$/, '');
}

/** Removes an appended block exactly as insertLines wrote it (a blank line, then the block). */
export function removeBlock(text: string, block: string[]): string {
  for (const eol of ['\r\n', '\n', '\r']) {
    const body = block.join(eol);
    if (text.endsWith(eol + eol + body) && !text.endsWith(eol + eol + body + eol)) return text.slice(0, -(eol + eol + body).length);
    const index = text.lastIndexOf(eol + body + eol);
    if (index !== -1) return text.slice(0, index) + text.slice(index + (eol + body + eol).length);
  }
  return text;
}

export async function nextLoadOrder(entryPath: string, source: string): Promise<LoadOrder> {
  const result = await parseFile(entryPath, source);
  if (result.kind === 'error') return { kind: 'unparseable', reason: result.reason };
  const { parsed } = result;
  try {
    const register = findHook(parsed, parsed.file.getStatements(), 'register');
    if (!register || register.kind === 'opaque' || !parsed.Node.isBlock(register.body)) return { kind: 'missing' };
    const statements = register.body.getStatements();
    const init = statements.find((statement) => loadsInit(parsed, statement));
    if (!init) return { kind: 'missing' };
    const first = statements[0];
    if (first === init || !first) return { kind: 'first' };
    return { kind: 'late', before: `line ${first.getStartLineNumber()}: ${firstLine(first)}` };
  } finally {
    release(parsed);
  }
}
