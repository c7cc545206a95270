/**
 * Where each framework's hook line goes, once the file creating the app is known: Express after
 * the routes (express.ts); Fastify, Koa, Hono and NestJS on the line right after the app is made
 * (an onError hook covers every route of the instance; Koa's and Hono's middleware must come
 * first, so Koa's goes to the front of `app.middleware` when middleware is chained onto the
 * creation; Nest's global filter goes before listen); tRPC as the first property of the adapter's
 * options object.
 */
import type { Node as MorphNode } from 'ts-morph';
import type { HookFramework } from '../templates/request-errors.js';
import { findAppCreations, type AppCreation } from './app-creation.js';
import { placeExpressHandler } from './express.js';
import { loadedSpecifier, type ParsedFile } from './js-ast.js';
import { indentationAt, lineStartAt } from './lines.js';

export type HookPlacement =
  | { kind: 'at'; offset: number; indent: string; app: string; atEnd?: boolean; /** the registration must go first among the app's middleware (Koa's firstHookLine) */ first?: boolean }
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
  if (framework === 'koa') return { ...placement, first: true };
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

/** `createHTTPServer({ router, … })`: our property goes on its own line first in the multi-line options object. */
function placeTrpcOnError(parsed: ParsedFile): FileHookPlacement {
  const { Node, text } = parsed;
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
  const calls = parsed.file.getDescendants().filter((node) => {
    if (!Node.isCallExpression(node)) return false;
    const callee = node.getExpression();
    if (Node.isIdentifier(callee)) return trpcAdapters.has(names.get(callee.getText()) ?? '');
    return Node.isPropertyAccessExpression(callee) && namespaces.has(callee.getExpression().getText()) && trpcAdapters.has(callee.getName());
  });
  if (calls.length === 0) return { kind: 'none' };
  if (calls.length > 1) return { kind: 'ambiguous', reason: 'more than one tRPC adapter is created in this file' };
  const options = (calls[0] as import('ts-morph').CallExpression).getArguments()[0];
  if (!options || !Node.isObjectLiteralExpression(options)) return { kind: 'ambiguous', reason: "the tRPC adapter's options are not an object literal" };
  if (options.getProperty('onError')) return { kind: 'ambiguous', reason: 'the tRPC adapter already has its own onError' };
  const first = options.getProperties()[0];
  if (!first) return { kind: 'ambiguous', reason: "the tRPC adapter's options are empty" };
  const lineStart = lineStartAt(text, first.getStart());
  if (text.slice(lineStart, first.getStart()).trim() !== '') return { kind: 'ambiguous', reason: "the tRPC adapter's options are on one line" };
  return { kind: 'at', offset: lineStart + parsed.shift, indent: indentationAt(text, lineStart), app: '' };
}
