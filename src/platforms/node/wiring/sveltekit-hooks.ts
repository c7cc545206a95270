/**
 * A SvelteKit hooks file (hooks.server or hooks.client), wired with whole lines only: our imports
 * before its first statement, then either our handleError block at the end or, when the file has a
 * handleError of its own, one line first in its body that hands its input to our report call. A
 * handleError we cannot read (an expression body, a wrapper such as Sentry's handleErrorWithSentry)
 * stays theirs: the init is wired and the line to add is printed.
 */
import type { Node as MorphNode, ParameterDeclaration, Statement } from 'ts-morph';
import type { Injection, Removal } from '../../../inject/index.js';
import { insertLines, lineEndingOf, lineKey, removeLines, type LineInsertion } from '../../../inject/lines.js';
import type { SvelteKitHooksPieces } from '../templates/sveltekit.js';
import { generatedHeader } from '../templates/node.js';
import { lineBefore, loadedSpecifier, parseFile, release, statementsAfterDirectives, type ParsedFile } from './js-ast.js';
import { jsMarked, placeInBody, removeBlock, removeMarkedBlocks } from './next.js';

/** What handleError's input holds that the report reads. */
const inputFields = ['error', 'event', 'status'];

export async function addSvelteKitHooks(path: string, source: string | null, pieces: SvelteKitHooksPieces): Promise<Injection> {
  if (source === null) return { kind: 'insert', after: pieces.created };
  const snippet = [...pieces.topLines, '', ...pieces.handleErrorBlock].join('\n');
  const result = await parseFile(path, source);
  if (result.kind === 'error') return { kind: 'manual', reason: `cannot parse ${path} (${result.reason}); add these lines to it`, snippet };
  const { parsed } = result;
  try {
    const statements = parsed.file.getStatements();
    if (statements.some((statement) => loadedSpecifier(parsed, statement) === pieces.loads)) return { kind: 'present' };
    const first = statementsAfterDirectives(parsed, statements)[0];
    const top = first ? lineBefore(parsed, first) : { kind: 'at' as const, offset: source.length, indent: '' };
    if (top.kind === 'ambiguous') return { kind: 'manual', reason: `cannot place the imports safely in ${path}: ${top.reason}`, snippet };
    const insertions: LineInsertion[] = [{ offset: top.offset, lines: pieces.topLines.map((line) => top.indent + line) }];
    const eol = lineEndingOf(source);
    const theirs = findHandleError(parsed, statements);
    if (theirs === null) {
      insertions.push({ offset: source.length, lines: ['', ...pieces.handleErrorBlock] });
      return { kind: 'insert', after: insertLines(source, insertions, eol) };
    }
    const input = theirs.kind === 'function' ? inputExpression(parsed, theirs.parameter) : null;
    const placement = theirs.kind === 'function' && input !== null ? placeInBody(parsed, theirs.body) : null;
    const call = `${pieces.reportCall}(${input ?? '{ error, event, status }'});`;
    if (placement?.kind !== 'at') {
      const after = insertLines(source, insertions, eol);
      const followUp = { reason: `${path} has a handleError of its own that ez-pixel cannot add a line to; add this first inside it so its errors are reported`, snippet: call };
      return { kind: 'insert', after, followUp };
    }
    insertions.push({ offset: placement.offset, lines: [`${placement.indent}${call} // ez-pixel`] });
    return { kind: 'insert', after: insertLines(source, insertions, eol) };
  } finally {
    release(parsed);
  }
}

type HandleError = { kind: 'function'; body: MorphNode; parameter: ParameterDeclaration | undefined } | { kind: 'opaque' };

/** The module's exported handleError: a function with a block body we can add a line to, or something else. */
function findHandleError(parsed: ParsedFile, statements: Statement[]): HandleError | null {
  const { Node } = parsed;
  for (const statement of statements) {
    if (Node.isFunctionDeclaration(statement) && statement.getName() === 'handleError') {
      const body = statement.getBody();
      return body ? { kind: 'function', body, parameter: statement.getParameters()[0] } : { kind: 'opaque' };
    }
    if (Node.isVariableStatement(statement)) {
      const declaration = statement.getDeclarations().find((d) => d.getName() === 'handleError');
      if (!declaration) continue;
      const init = declaration.getInitializer();
      if ((Node.isArrowFunction(init) || Node.isFunctionExpression(init)) && Node.isBlock(init.getBody())) {
        return { kind: 'function', body: init.getBody(), parameter: init.getParameters()[0] };
      }
      return { kind: 'opaque' };
    }
    if (Node.isExportDeclaration(statement) && statement.getNamedExports().some((e) => (e.getAliasNode() ?? e.getNameNode()).getText() === 'handleError')) {
      return { kind: 'opaque' };
    }
  }
  return null;
}

/** handleError's input as an expression inside its body: `input`, or `{ error, event: e }` rebuilt from its destructuring. */
function inputExpression(parsed: ParsedFile, parameter: ParameterDeclaration | undefined): string | null {
  const { Node } = parsed;
  const name = parameter?.getNameNode();
  if (!name) return null;
  if (Node.isIdentifier(name)) return name.getText();
  if (!Node.isObjectBindingPattern(name)) return null;
  const fields: string[] = [];
  for (const element of name.getElements()) {
    if (element.getDotDotDotToken()) continue;
    const local = element.getNameNode();
    const property = element.getPropertyNameNode()?.getText() ?? local.getText();
    if (!inputFields.includes(property) || !Node.isIdentifier(local)) continue;
    fields.push(property === local.getText() ? property : `${property}: ${local.getText()}`);
  }
  return fields.some((field) => field === 'error' || field.startsWith('error:')) ? `{ ${fields.join(', ')} }` : null;
}

/** Takes out exactly what addSvelteKitHooks put in; a file it created goes (code the user added below stays). */
export function removeSvelteKitHooks(source: string, pieces: SvelteKitHooksPieces): Removal {
  for (const eol of ['\n', '\r\n']) {
    const ours = pieces.created.replace(/\n/g, eol);
    if (source.startsWith(ours)) {
      const rest = source.slice(ours.length);
      return { kind: 'remove', after: rest.trim() === '' ? null : rest };
    }
  }
  const text = removeMarkedBlocks(removeBlock(source, pieces.handleErrorBlock), [pieces.handleErrorBlock]);
  const top = new Set(pieces.topLines.map(lineKey));
  const call = new RegExp(`^${pieces.reportCall}\\(.*\\);? // ez-pixel$`); // lineKey drops the semicolon
  const lines = removeLines(text, (line) => top.has(lineKey(line)) || call.test(lineKey(line)), jsMarked);
  if (lines.kind === 'edited') {
    return { kind: 'manual', reason: `lines marked ez-pixel were edited after install: ${lines.lines.join(' | ')}`, snippet: lines.lines.join('\n') };
  }
  if (lines.after === source) return { kind: 'absent' };
  // A file we created, reformatted since (prettier, eslint --fix): once our lines are out, only our header is left.
  if (lines.after.replace(/^\uFEFF/, '').trim() === generatedHeader) return { kind: 'remove', after: null };
  return { kind: 'remove', after: lines.after };
}
