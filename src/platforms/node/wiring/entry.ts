/**
 * Wiring a plain Node entry (ESM, CJS, TS): the init's import/require becomes the first statement
 * after the shebang and the directive prologue. The frameworks' request-error hooks are placed
 * afterwards, in whichever file creates the app (request-errors.ts).
 */
import { extname } from 'node:path';
import type { Project } from '../../../project.js';
import type { InitWiring } from '../../../templates/index.js';
import type { Injection, LoadOrder } from '../../../inject/index.js';
import { firstLine, lineBefore, loadsInit, parseFile, release, statementsAfterDirectives, type ParsedFile } from './js-ast.js';
import { insertLines, lineEndingOf, type LineInsertion } from '../../../inject/lines.js';

export async function addNodeInit(entryPath: string, source: string, wiring: InitWiring): Promise<Injection> {
  const snippet = wiring.importStatement;
  const result = await parseFile(entryPath, source);
  if (result.kind === 'error') {
    return { kind: 'manual', reason: `cannot parse ${entryPath} (${result.reason}); add these lines at its top`, snippet };
  }
  const { parsed } = result;
  try {
    const statements = parsed.file.getStatements();
    if (statements.some((statement) => loadsInit(parsed, statement))) return { kind: 'present' };

    const first = statementsAfterDirectives(parsed, statements)[0];
    const placement = first ? lineBefore(parsed, first) : { kind: 'at' as const, offset: source.length, indent: '' };
    if (placement.kind === 'ambiguous') {
      return { kind: 'manual', reason: `cannot place the init safely in ${entryPath}: ${placement.reason}`, snippet };
    }
    const insertion: LineInsertion = { offset: placement.offset, lines: wiring.entryLines.map((line) => placement.indent + line) };
    return { kind: 'insert', after: insertLines(source, [insertion], lineEndingOf(source)) };
  } finally {
    release(parsed);
  }
}

/** ESM hoists imports: they run in source order before any other statement of the module. */
function evaluatesImportsFirst(project: Project, entryPath: string): boolean {
  const extension = extname(entryPath);
  if (extension === '.mjs' || extension === '.mts') return true;
  if (extension === '.cjs' || extension === '.cts') return false;
  return project.moduleSystem === 'esm';
}

export async function nodeLoadOrder(project: Project, entryPath: string, source: string): Promise<LoadOrder> {
  const result = await parseFile(entryPath, source);
  if (result.kind === 'error') return { kind: 'unparseable', reason: result.reason };
  const { parsed } = result;
  try {
    const statements = statementsAfterDirectives(parsed, parsed.file.getStatements()).filter((s) => runsCode(parsed, s));
    const init = statements.find((statement) => loadsInit(parsed, statement));
    if (!init) return { kind: 'missing' };
    const candidates = evaluatesImportsFirst(project, entryPath) ? statements.filter((s) => isModuleLoad(parsed, s)) : statements;
    const first = candidates[0];
    if (!first || first === init) return { kind: 'first' };
    return { kind: 'late', before: `line ${first.getStartLineNumber()}: ${firstLine(first)}` };
  } finally {
    release(parsed);
  }
}

/** Type-only declarations are erased: they never run before anything. */
function runsCode(parsed: ParsedFile, statement: import('ts-morph').Statement): boolean {
  const { Node } = parsed;
  if (Node.isInterfaceDeclaration(statement) || Node.isTypeAliasDeclaration(statement)) return false;
  if (Node.isImportDeclaration(statement) && statement.isTypeOnly()) return false;
  if (Node.isExportDeclaration(statement) && statement.isTypeOnly()) return false;
  if (Node.isModifierable(statement) && statement.hasModifier('declare')) return false;
  return true;
}

/** Statements an ES module evaluates before its body: imports and re-exports. */
function isModuleLoad(parsed: ParsedFile, statement: import('ts-morph').Statement): boolean {
  const { Node } = parsed;
  if (Node.isImportDeclaration(statement)) return true;
  if (Node.isExportDeclaration(statement)) return statement.hasModuleSpecifier();
  return Node.isImportEqualsDeclaration(statement) && Node.isExternalModuleReference(statement.getModuleReference());
}
