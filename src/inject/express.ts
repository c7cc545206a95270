/**
 * Where `app.use(expressErrorHandler())` goes: after the routes, which in a typical entry means just
 * before the top-level `app.listen(...)`, or before the app's own error handler (a 4-argument
 * middleware) so the SDK sees errors first and passes them on. Any doubt (no single app, no top-level
 * listen, routes added after listen) returns a reason instead of a guess.
 */
import type { Node as MorphNode, Statement } from 'ts-morph';
import { lineBefore, loadedSpecifier, type ParsedFile } from './js-ast.js';

export type HandlerPlacement = { kind: 'at'; offset: number; indent: string; app: string } | { kind: 'ambiguous'; reason: string };

const routeMethods = new Set(['use', 'get', 'post', 'put', 'patch', 'delete', 'all', 'options', 'head', 'route']);

export function placeErrorHandler(parsed: ParsedFile): HandlerPlacement {
  const statements = parsed.file.getStatements();
  const express = expressBinding(parsed, statements);
  if (!express) return { kind: 'ambiguous', reason: "no import of 'express' in this file" };
  const apps = appBindings(parsed, statements, express);
  if (apps.length !== 1) {
    return { kind: 'ambiguous', reason: apps.length === 0 ? 'no `const app = express()` in this file' : 'more than one Express app' };
  }
  const app = apps[0] as string;
  const servers = serverBindings(parsed, statements, app);
  const startsListening = (object: MorphNode): boolean =>
    object.getText() === app || servers.includes(object.getText()) || servesApp(parsed, object, app);
  const listenIndex = statements.findIndex((statement) => calls(parsed, statement, startsListening).some((call) => call.method === 'listen'));
  if (listenIndex === -1) return { kind: 'ambiguous', reason: `no top-level ${app}.listen(...)` };
  const routesAfterListen = statements
    .slice(listenIndex + 1)
    .some((statement) => callsOnApp(parsed, statement, app, (method) => routeMethods.has(method)));
  if (routesAfterListen) return { kind: 'ambiguous', reason: `routes are registered after ${app}.listen(...)` };

  const ownHandler = statements.slice(0, listenIndex).find((statement) => registersErrorHandler(parsed, statements, statement, app));
  const target = ownHandler ?? (statements[listenIndex] as Statement);
  const placement = lineBefore(parsed, target);
  return placement.kind === 'at' ? { ...placement, app } : placement;
}

/** The local name `express` is bound to: `import express from 'express'`, `const express = require('express')`, `import express = require('express')`. */
function expressBinding(parsed: ParsedFile, statements: Statement[]): string | null {
  const { Node } = parsed;
  for (const statement of statements) {
    if (Node.isImportDeclaration(statement) && statement.getModuleSpecifierValue() === 'express') {
      const name = statement.getDefaultImport() ?? statement.getNamespaceImport();
      if (name) return name.getText();
    }
    if (Node.isImportEqualsDeclaration(statement) && loadedSpecifier(parsed, statement.getModuleReference()) === 'express') {
      return statement.getName();
    }
    if (Node.isVariableStatement(statement)) {
      const declaration = statement
        .getDeclarations()
        .find((d) => Node.isIdentifier(d.getNameNode()) && loadedSpecifier(parsed, d.getInitializer() ?? d) === 'express');
      if (declaration) return declaration.getName();
    }
  }
  return null;
}

/** Top-level variables initialised with `express()`. */
function appBindings(parsed: ParsedFile, statements: Statement[], express: string): string[] {
  const { Node } = parsed;
  return variablesInitialisedWith(parsed, statements, (init) => Node.isCallExpression(init) && init.getExpression().getText() === express);
}

/** `http.createServer(app)`, `https.createServer(options, app)`: a server that listens for the app. */
function servesApp(parsed: ParsedFile, node: MorphNode, app: string): boolean {
  const { Node } = parsed;
  return (
    Node.isCallExpression(node) &&
    /(^|\.)createServer$/.test(node.getExpression().getText()) &&
    node.getArguments().some((argument) => argument.getText() === app)
  );
}

/** Top-level variables holding such a server: `const server = http.createServer(app)`. */
function serverBindings(parsed: ParsedFile, statements: Statement[], app: string): string[] {
  return variablesInitialisedWith(parsed, statements, (init) => servesApp(parsed, init, app));
}

/** The names of top-level `const|let|var name = <init>` whose initialiser passes `matches`. */
function variablesInitialisedWith(parsed: ParsedFile, statements: Statement[], matches: (init: MorphNode) => boolean): string[] {
  const { Node } = parsed;
  return statements.flatMap((statement) =>
    Node.isVariableStatement(statement)
      ? statement
          .getDeclarations()
          .filter((declaration) => {
            const init = declaration.getInitializer();
            return init !== undefined && Node.isIdentifier(declaration.getNameNode()) && matches(init);
          })
          .map((declaration) => declaration.getName())
      : [],
  );
}

/** Does the statement call `app.<method>(…)` outside any function (so it runs as the module loads)? */
function callsOnApp(parsed: ParsedFile, statement: Statement, app: string, method: (name: string) => boolean): boolean {
  return calls(parsed, statement, (object) => object.getText() === app).some((call) => method(call.method));
}

/** `<object>.<method>(…)` calls in a statement, outside any function, whose object passes `isTarget`. */
function calls(parsed: ParsedFile, statement: Statement, isTarget: (object: MorphNode) => boolean): { method: string; node: MorphNode }[] {
  const { Node } = parsed;
  const found: { method: string; node: MorphNode }[] = [];
  for (const node of [statement, ...statement.getDescendants()]) {
    if (!Node.isCallExpression(node)) continue;
    const callee = node.getExpression();
    if (!Node.isPropertyAccessExpression(callee) || !isTarget(callee.getExpression())) continue;
    if (insideFunction(parsed, node, statement)) continue;
    found.push({ method: callee.getName(), node });
  }
  return found;
}

function insideFunction(parsed: ParsedFile, node: MorphNode, statement: Statement): boolean {
  const { Node } = parsed;
  for (let current = node.getParent(); current; current = current.getParent()) {
    if (Node.isFunctionLikeDeclaration(current) || Node.isArrowFunction(current) || Node.isFunctionExpression(current)) return true;
    if (current === statement) break;
  }
  return false;
}

/** `app.use((err, req, res, next) => …)` or `app.use(handleErrors)`: Express knows error handlers by their four parameters. */
function registersErrorHandler(parsed: ParsedFile, statements: Statement[], statement: Statement, app: string): boolean {
  const { Node } = parsed;
  if (!Node.isExpressionStatement(statement)) return false;
  const call = statement.getExpression();
  if (!Node.isCallExpression(call)) return false;
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee) || callee.getExpression().getText() !== app || callee.getName() !== 'use') return false;
  return call.getArguments().some((argument) => {
    const handler = Node.isIdentifier(argument) ? functionNamed(parsed, statements, argument.getText()) : argument;
    return (Node.isArrowFunction(handler) || Node.isFunctionExpression(handler) || Node.isFunctionDeclaration(handler)) && handler.getParameters().length === 4;
  });
}

/** A top-level `function name() {}` or `const name = (…) => …` in this file. */
function functionNamed(parsed: ParsedFile, statements: Statement[], name: string): MorphNode | undefined {
  const { Node } = parsed;
  for (const statement of statements) {
    if (Node.isFunctionDeclaration(statement) && statement.getName() === name) return statement;
    if (Node.isVariableStatement(statement)) {
      const declaration = statement.getDeclarations().find((d) => d.getName() === name);
      if (declaration) return declaration.getInitializer();
    }
  }
  return undefined;
}
