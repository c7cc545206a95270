/**
 * React Router framework mode's (and Remix v2's) app/entry.server: the init's import first, then the report in
 * `handleError`. A missing entry is created from the framework's default with both; an existing
 * one gets the import lines at its top and either our handleError appended or, when the app
 * exports its own, one line first in its body. Removal takes out exactly those lines.
 */
import type { Injection, Removal } from '../../../inject/index.js';
import { removeMarkedLines } from '../../../inject/index.js';
import { insertLines, lineEndingOf } from '../../../inject/lines.js';
import type { Project } from '../../../project.js';
import type { InitWiring } from '../../../templates/index.js';
import { handleErrorLine } from '../templates/react-router.js';
import { readNodeFacts } from '../detect/facts.js';
import { ProjectFiles } from '../../../detectors/project-files.js';
import { addNodeInit } from './entry.js';
import { parseFile, release, type ParsedFile } from './js-ast.js';
import { findHook, placeInBody, removeBlock, removeMarkedBlocks, type Hook } from './next.js';
import { defaultServerEntry } from './react-router-default.js';
import { routerOf } from '../frameworks/routers.js';

const jsMarked = /\/\/ ez-pixel(?::|\s*$)/;

function handleErrorBlock(wiring: InitWiring): string[] {
  if (!wiring.reactRouter) throw new Error('React Router injection needs a React Router wiring (initWiringFor with framework "react-router" or "remix")');
  return wiring.reactRouter.handleErrorBlock;
}

export async function addReactRouterInit(project: Project, entryPath: string, source: string | null, wiring: InitWiring): Promise<Injection> {
  const block = handleErrorBlock(wiring);
  const router = routerOf(project.framework);
  if (!router) throw new Error(`${project.framework} is not React Router or Remix`);
  if (source === null) {
    const facts = await readNodeFacts(new ProjectFiles(project.root));
    const entry = await defaultServerEntry(project.root, router, facts.dependencies, /\.tsx?$/.test(entryPath));
    if (entry.kind === 'missing') {
      return { kind: 'manual', reason: `${entryPath} does not exist and cannot be created: ${entry.reason}; with the server entry you use, add these lines to it`, snippet: wiring.importStatement };
    }
    const eol = lineEndingOf(entry.text);
    return { kind: 'insert', after: insertLines(entry.text, [{ offset: 0, lines: [...wiring.entryLines, ''] }, { offset: entry.text.length, lines: ['', ...block] }], eol) };
  }
  const injected = await addNodeInit(entryPath, source, wiring);
  if (injected.kind !== 'insert') return injected;
  const result = await parseFile(entryPath, injected.after);
  if (result.kind === 'error') return { kind: 'manual', reason: `cannot parse ${entryPath} (${result.reason})`, snippet: wiring.importStatement };
  const { parsed } = result;
  try {
    const hook = findHook(parsed, parsed.file.getStatements(), 'handleError');
    const after = injected.after;
    if (!hook) return { kind: 'insert', after: insertLines(after, [{ offset: after.length, lines: ['', ...block] }], lineEndingOf(after)) };
    const names = hook.kind === 'function' ? parameterNames(parsed, hook) : null;
    const placement = hook.kind === 'function' && names ? placeInBody(parsed, hook.body) : null;
    if (!names || placement?.kind !== 'at') {
      const why = placement?.kind === 'ambiguous' ? placement.reason : 'its parameters are not (error, { request }) or (error, args)';
      return {
        kind: 'insert',
        after,
        followUp: { reason: `${entryPath} exports its own handleError, which ez-pixel cannot edit (${why}); add this first in it so request errors are reported`, snippet: handleErrorLine('error', 'args') },
      };
    }
    return { kind: 'insert', after: insertLines(after, [{ offset: placement.offset, lines: [placement.indent + handleErrorLine(names.error, names.args)] }], lineEndingOf(after)) };
  } finally {
    release(parsed);
  }
}

/** `(error, args)`, `(error, { request })` or `(error, { request: req })`: the expressions our line passes. */
function parameterNames(parsed: ParsedFile, hook: Extract<Hook, { kind: 'function' }>): { error: string; args: string } | null {
  const { Node } = parsed;
  const [error, args] = hook.parameters.map((parameter) => parameter.getNameNode());
  if (!error || !Node.isIdentifier(error) || !args) return null;
  if (Node.isIdentifier(args)) return { error: error.getText(), args: args.getText() };
  if (!Node.isObjectBindingPattern(args)) return null;
  const request = args.getElements().find((element) => (element.getPropertyNameNode() ?? element.getNameNode()).getText() === 'request');
  const local = request?.getNameNode();
  if (!local || !Node.isIdentifier(local)) return null;
  return { error: error.getText(), args: local.getText() === 'request' ? '{ request }' : `{ request: ${local.getText()} }` };
}

export function removeReactRouterInit(source: string, wiring: InitWiring): Removal {
  const block = handleErrorBlock(wiring);
  const text = removeMarkedBlocks(removeBlock(source, block), [block]);
  const ourLine = (line: string): boolean => jsMarked.test(line) && /^\s*captureRouterError\(/.test(line);
  const lines = removeMarkedLines(text, wiring, jsMarked, ourLine);
  if (lines.kind === 'absent') return text === source ? lines : { kind: 'remove', after: text };
  return lines;
}
