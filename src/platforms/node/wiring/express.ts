/**
 * Where `app.use(expressErrorHandler())` goes in the file that creates the Express app: after the
 * routes, which means just before whichever comes first of the app's own error handler (a
 * 4-argument middleware, so the SDK sees errors first and passes them on), `app.listen(...)`, the
 * export of the app (`module.exports = app`, `export default app`) or `return app` in a factory.
 * A file that only creates and configures the app gets it at its end. Any doubt (routes added
 * after that point, listen inside a function) returns a reason instead of a guess.
 */
import type { CallExpression, Node as MorphNode, Statement } from 'ts-morph';
import type { AppCreation } from './app-creation.js';
import { firstLine, lineBefore, type ParsedFile } from './js-ast.js';
import type { HookPlacement } from './hook-placement.js';

const routeMethods = new Set(['use', 'get', 'post', 'put', 'patch', 'delete', 'all', 'options', 'head', 'route']);

export function placeExpressHandler(parsed: ParsedFile, creation: AppCreation, isEntry: boolean): HookPlacement {
  const { app, siblings } = creation;
  const everything = [...parsed.file.getStatements(), ...siblings];
  if (creation.chain.some((call) => usesErrorHandler(parsed, everything, call))) {
    return { kind: 'ambiguous', reason: `${app}'s own error handler is chained onto its creation, before where the SDK's handler can go` };
  }
  const after = siblings.slice(siblings.indexOf(creation.statement) + 1);
  const servers = variablesInitialisedWith(parsed, after, (init) => servesApp(parsed, init, app));
  const startsListening = (object: MorphNode): boolean =>
    object.getText() === app || servers.includes(object.getText()) || servesApp(parsed, object, app);
  const targetIndex = after.findIndex(
    (statement) =>
      registersErrorHandler(parsed, after, statement, app) ||
      calls(parsed, statement, startsListening).some((call) => call.method === 'listen') ||
      handsOutApp(parsed, statement, app),
  );
  if (targetIndex === -1) {
    // A module that only builds the app: the end of its top level runs after every route it adds.
    if (creation.topLevel && !isEntry) return { kind: 'at', offset: parsed.text.length + parsed.shift, indent: '', app, atEnd: true };
    return { kind: 'ambiguous', reason: `no top-level ${app}.listen(...), export of ${app} or own error handler` };
  }
  const target = after[targetIndex] as Statement;
  const routesLater = after
    .slice(targetIndex + 1)
    .some((statement) => !registersErrorHandler(parsed, after, statement, app) && callsOnApp(parsed, statement, app, (method) => routeMethods.has(method)));
  if (routesLater) return { kind: 'ambiguous', reason: `routes are registered on ${app} after \`${firstLine(target)}\`` };
  const placement = lineBefore(parsed, target);
  return placement.kind === 'at' ? { ...placement, app } : placement;
}

/** `module.exports = app`, `exports.app = app`, `module.exports = { app }`, `export default app`, `export { app }`, `return app`. */
function handsOutApp(parsed: ParsedFile, statement: Statement, app: string): boolean {
  const { Node } = parsed;
  const isApp = (node: MorphNode | undefined): boolean =>
    node !== undefined &&
    (node.getText() === app ||
      (Node.isObjectLiteralExpression(node) &&
        node.getProperties().some((p) => (Node.isShorthandPropertyAssignment(p) && p.getName() === app) || (Node.isPropertyAssignment(p) && p.getInitializer()?.getText() === app))));
  if (Node.isReturnStatement(statement) || Node.isExportAssignment(statement)) return isApp(statement.getExpression());
  if (Node.isExportDeclaration(statement)) return !statement.hasModuleSpecifier() && statement.getNamedExports().some((e) => e.getNameNode().getText() === app);
  if (!Node.isExpressionStatement(statement)) return false;
  const expression = statement.getExpression();
  if (!Node.isBinaryExpression(expression) || expression.getOperatorToken().getText() !== '=') return false;
  return /^(module\.)?exports\b/.test(expression.getLeft().getText()) && isApp(expression.getRight());
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

/** The names of `const|let|var name = <init>` among `statements` whose initialiser passes `matches`. */
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

/** Does the statement call `app.<method>(…)` outside any function (so it runs as the block runs)? */
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

/** `app.use((err, req, res, next) => …)` or `app.use(handleErrors)`: Express knows error handlers by their four parameters; one imported from elsewhere, by its name. */
function registersErrorHandler(parsed: ParsedFile, statements: Statement[], statement: Statement, app: string): boolean {
  const { Node } = parsed;
  if (!Node.isExpressionStatement(statement)) return false;
  const call = statement.getExpression();
  if (!Node.isCallExpression(call)) return false;
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee) || callee.getExpression().getText() !== app) return false;
  return usesErrorHandler(parsed, [...parsed.file.getStatements(), ...statements], call);
}

/** Is `call` a `.use(…)` given an error handler? */
function usesErrorHandler(parsed: ParsedFile, everything: Statement[], call: CallExpression): boolean {
  const { Node } = parsed;
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'use') return false;
  return call.getArguments().some((argument) => {
    const handler = Node.isIdentifier(argument) ? functionNamed(parsed, everything, argument.getText()) : argument;
    // Imported from another module (`const { errorHandler } = require('./middlewares/error')`): its name says what it is.
    if (Node.isIdentifier(argument) && handler === undefined) return /error/i.test(argument.getText());
    return (Node.isArrowFunction(handler) || Node.isFunctionExpression(handler) || Node.isFunctionDeclaration(handler)) && handler.getParameters().length === 4;
  });
}

/** A `function name() {}` or `const name = (…) => …` among `statements`. */
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
