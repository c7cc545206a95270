/**
 * Where each framework's hook line goes, once the file creating the app is known: Express after
 * the routes (express.ts); Fastify, Koa, Hono and NestJS on the line right after the app is made
 * (an onError hook covers every route of the instance; Koa's and Hono's middleware must come
 * first, so Koa's goes to the front of `app.middleware` when middleware is chained onto the
 * creation; Nest's global filter goes before listen); tRPC as the first property of the adapter's
 * options object.
 */
import type { Node as MorphNode } from 'ts-morph';
import type { HookFramework, HookVariant } from '../templates/request-errors.js';
import { findAppCreations, type AppCreation } from './app-creation.js';
import { placeExpressHandler } from './express.js';
import { loadedSpecifier, type ParsedFile } from './js-ast.js';
import { indentationAt, lineStartAt } from '../../../inject/lines.js';

export type HookPlacement =
  | { kind: 'at'; offset: number; indent: string; app: string; atEnd?: boolean; /** one of the hook's variantLines instead of its hookLine */ variant?: HookVariant }
  | { kind: 'ambiguous'; reason: string };

/** What one file says about one hook: nothing (no app of that framework here), or where it goes. */
export type FileHookPlacement = { kind: 'none' } | HookPlacement;

export function placeHook(parsed: ParsedFile, framework: HookFramework, isEntry: boolean): FileHookPlacement {
  if (framework === 'trpc') return placeTrpcOnError(parsed);
  const creations = findAppCreations(parsed, framework);
  if (creations.length === 0) return { kind: 'none' };
  if (creations.length > 1) return { kind: 'ambiguous', reason: `more than one ${framework} app is created in this file` };
  const creation = creations[0] as AppCreation;
  if (framework === 'express') return placeExpressHandler(parsed, creation, isEntry);
  const placement = lineAfter(parsed, creation.statement, creation.app);
  if (creation.chain.length === 0 || placement.kind !== 'at') return placement;
  // Middleware chained onto the creation runs before anything added after it.
  if (framework === 'koa') return { ...placement, variant: 'first' };
  if (framework === 'hono') return { kind: 'ambiguous', reason: `routes or middleware are chained onto the creation of ${creation.app}, before where the hook can go` };
  return placement;
}

/** The start of the line after `node`, indented like it; ambiguous when code follows it on its line. */
function lineAfter(parsed: ParsedFile, node: MorphNode, app: string): HookPlacement {
  const { text } = parsed;
  const end = node.getEnd();
  const rest = /^[^\r\n]*/.exec(text.slice(end))?.[0] ?? '';
  if (rest.trim() !== '' && !/^\s*\/\//.test(rest)) return { kind: 'ambiguous', reason: `line ${node.getEndLineNumber()} holds more code after the app is created` };
  const lineEnd = end + rest.length;
  const breakLength = text.startsWith('\r\n', lineEnd) ? 2 : lineEnd < text.length ? 1 : 0;
  const indent = indentationAt(text, lineStartAt(text, node.getStart()));
  if (breakLength === 0) return { kind: 'at', offset: text.length + parsed.shift, indent, app, atEnd: true };
  return { kind: 'at', offset: lineEnd + breakLength + parsed.shift, indent, app };
}

/** The tRPC adapters whose first argument is the options object holding `onError`. */
const trpcAdapters = new Set(['createHTTPServer', 'createHTTPHandler', 'createHTTP2Handler', 'createExpressMiddleware', 'fetchRequestHandler', 'createNextApiHandler']);

/**
 * `createHTTPServer({ router, … })`, or `app.register(fastifyTRPCPlugin, { trpcOptions: { router, … } })`:
 * our `onError` goes on its own line first in the multi-line options object. When the options
 * have the user's own onError, theirs stays and ours joins it (mergeOnError).
 */
function placeTrpcOnError(parsed: ParsedFile): FileHookPlacement {
  const { Node, text } = parsed;
  const { names, namespaces } = trpcBindings(parsed);
  const isExport = (node: MorphNode, wanted: (name: string) => boolean): boolean => {
    if (Node.isIdentifier(node)) return wanted(names.get(node.getText()) ?? '');
    return Node.isPropertyAccessExpression(node) && namespaces.has(node.getExpression().getText()) && wanted(node.getName());
  };
  const optionsObjects: (MorphNode | undefined)[] = [];
  for (const node of parsed.file.getDescendants()) {
    if (!Node.isCallExpression(node)) continue;
    const callee = node.getExpression();
    const [first, second] = node.getArguments();
    if (isExport(callee, (name) => trpcAdapters.has(name))) optionsObjects.push(first);
    const registersPlugin = Node.isPropertyAccessExpression(callee) && callee.getName() === 'register' && first !== undefined && isExport(first, (name) => name === 'fastifyTRPCPlugin');
    if (registersPlugin) {
      const property = second && Node.isObjectLiteralExpression(second) ? second.getProperty('trpcOptions') : undefined;
      optionsObjects.push(property && Node.isPropertyAssignment(property) ? unwrapExpression(parsed, property.getInitializer()) : undefined);
    }
  }
  if (optionsObjects.length === 0) return { kind: 'none' };
  if (optionsObjects.length > 1) return { kind: 'ambiguous', reason: 'more than one tRPC adapter is created in this file' };
  const options = optionsObjects[0];
  if (!options || !Node.isObjectLiteralExpression(options)) return { kind: 'ambiguous', reason: "the tRPC adapter's options are not an object literal" };
  const own = options.getProperty('onError');
  if (own) return mergeOnError(parsed, own);
  const first = options.getProperties()[0];
  if (!first) return { kind: 'ambiguous', reason: "the tRPC adapter's options are empty" };
  const lineStart = lineStartAt(text, first.getStart());
  if (text.slice(lineStart, first.getStart()).trim() !== '') return { kind: 'ambiguous', reason: "the tRPC adapter's options are on one line" };
  return { kind: 'at', offset: lineStart + parsed.shift, indent: indentationAt(text, lineStart), app: '' };
}

/** What this file binds from @trpc/server*: local name → export, and whole-module names. */
function trpcBindings(parsed: ParsedFile): { names: Map<string, string>; namespaces: Set<string> } {
  const { Node } = parsed;
  const names = new Map<string, string>();
  const namespaces = new Set<string>();
  for (const statement of parsed.file.getStatements()) {
    if (Node.isImportDeclaration(statement) && statement.getModuleSpecifierValue().startsWith('@trpc/server')) {
      const namespace = statement.getNamespaceImport();
      if (namespace) namespaces.add(namespace.getText());
      for (const named of statement.getNamedImports()) names.set((named.getAliasNode() ?? named.getNameNode()).getText(), named.getName());
    }
    if (Node.isVariableStatement(statement)) {
      for (const declaration of statement.getDeclarations()) {
        const init = declaration.getInitializer();
        const name = declaration.getNameNode();
        if (!init || !loadedSpecifier(parsed, init)?.startsWith('@trpc/server')) continue;
        if (Node.isIdentifier(name)) namespaces.add(name.getText());
        if (!Node.isObjectBindingPattern(name)) continue;
        for (const element of name.getElements()) names.set(element.getNameNode().getText(), (element.getPropertyNameNode() ?? element.getNameNode()).getText());
      }
    }
  }
  return { names, namespaces };
}

/** `{ … } satisfies T`, `{ … } as T`, `({ … })` → the object itself. */
function unwrapExpression(parsed: ParsedFile, node: MorphNode | undefined): MorphNode | undefined {
  const { Node } = parsed;
  let current = node;
  while (current && (Node.isSatisfiesExpression(current) || Node.isAsExpression(current) || Node.isParenthesizedExpression(current))) current = current.getExpression();
  return current;
}

/**
 * The user's onError stays theirs. `onError: handler,` (or `onError,`) gets ours on the next line,
 * calling theirs: `onError: trpcOnError(handler),`. An onError written in place gets ours as the
 * first line of its body, handed the same options: `trpcOnError()(opts);`.
 */
function mergeOnError(parsed: ParsedFile, own: MorphNode): FileHookPlacement {
  const { Node, text } = parsed;
  const handler = Node.isShorthandPropertyAssignment(own) ? own.getNameNode() : Node.isPropertyAssignment(own) ? own.getInitializer() : undefined;
  if (handler && Node.isIdentifier(handler)) {
    const rest = /^[ \t]*,[ \t]*(\/\/[^\r\n]*)?(\r\n|\n|\r)/.exec(text.slice(own.getEnd()));
    if (!rest) return { kind: 'ambiguous', reason: "the tRPC adapter's own onError does not end its line with a comma" };
    const indent = indentationAt(text, lineStartAt(text, own.getStart()));
    return { kind: 'at', offset: own.getEnd() + rest[0].length + parsed.shift, indent, app: handler.getText(), variant: 'wrap' };
  }
  const fn = Node.isMethodDeclaration(own) ? own : handler && (Node.isArrowFunction(handler) || Node.isFunctionExpression(handler)) ? handler : undefined;
  if (!fn) return { kind: 'ambiguous', reason: "the tRPC adapter's own onError is neither a function nor a name; add ours to it by hand" };
  const parameter = fn.getParameters()[0]?.getNameNode();
  const argument = parameter && Node.isIdentifier(parameter) ? parameter.getText() : Node.isArrowFunction(fn) ? null : 'arguments[0]';
  const body = fn.getBody();
  if (argument === null || !body || !Node.isBlock(body)) {
    return { kind: 'ambiguous', reason: "the tRPC adapter's own onError is an arrow function with destructured options or no block body; add ours to it by hand" };
  }
  const first = body.getStatements()[0];
  if (!first) return { kind: 'ambiguous', reason: "the tRPC adapter's own onError is empty" };
  const lineStart = lineStartAt(text, first.getStart());
  if (text.slice(lineStart, first.getStart()).trim() !== '') return { kind: 'ambiguous', reason: "the tRPC adapter's own onError is on one line" };
  return { kind: 'at', offset: lineStart + parsed.shift, indent: indentationAt(text, lineStart), app: argument, variant: 'call' };
}
