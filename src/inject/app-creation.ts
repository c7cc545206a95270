/**
 * Where a web framework's app is created: the local names a file binds a framework module to, and
 * the `const app = <factory>(…)` declarations that use them, at the top level or inside a function
 * (`function buildApp() { const app = Fastify(); … return app; }`). Only a plain
 * `const|let|var <identifier> = …` statement counts; anything else is left to the user.
 */
import type { Node as MorphNode, Statement } from 'ts-morph';
import type { HookFramework } from '../templates/request-errors.js';
import { loadedSpecifier, type ParsedFile } from './js-ast.js';

export interface AppCreation {
  /** The app's variable. */
  app: string;
  /** The `const app = …` statement. */
  statement: Statement;
  /** The statements of the block (or file) holding it, in order. */
  siblings: Statement[];
  /** True when that block is the file itself. */
  topLevel: boolean;
}

/** What `import`/`require` bound from one module: the whole module, and named exports (export → local). */
interface Bindings {
  whole: string[];
  named: Map<string, string>;
}

type Creation = 'call' | 'new' | 'await-create';

/** framework → its module, the export(s) that make an app (`*` is the whole module) and how it is called. */
const factories: Record<Exclude<HookFramework, 'trpc'>, { module: string; exports: string[]; creation: Creation }> = {
  express: { module: 'express', exports: ['*'], creation: 'call' },
  fastify: { module: 'fastify', exports: ['*', 'fastify', 'default'], creation: 'call' },
  koa: { module: 'koa', exports: ['*', 'default'], creation: 'new' },
  hono: { module: 'hono', exports: ['Hono'], creation: 'new' },
  nest: { module: '@nestjs/core', exports: ['NestFactory'], creation: 'await-create' },
};

export function bindingsOf(parsed: ParsedFile, module: (specifier: string) => boolean): Bindings {
  const { Node } = parsed;
  const bindings: Bindings = { whole: [], named: new Map() };
  for (const statement of parsed.file.getStatements()) {
    if (Node.isImportDeclaration(statement) && module(statement.getModuleSpecifierValue())) {
      const whole = statement.getDefaultImport() ?? statement.getNamespaceImport();
      if (whole) bindings.whole.push(whole.getText());
      for (const named of statement.getNamedImports()) bindings.named.set(named.getName(), (named.getAliasNode() ?? named.getNameNode()).getText());
    }
    if (Node.isImportEqualsDeclaration(statement)) {
      const specifier = loadedSpecifier(parsed, statement.getModuleReference());
      if (specifier !== null && module(specifier)) bindings.whole.push(statement.getName());
    }
    if (Node.isVariableStatement(statement)) {
      for (const declaration of statement.getDeclarations()) {
        const init = declaration.getInitializer();
        const specifier = init ? loadedSpecifier(parsed, init) : null;
        if (specifier === null || !module(specifier)) continue;
        const name = declaration.getNameNode();
        if (Node.isIdentifier(name)) bindings.whole.push(name.getText());
        if (Node.isObjectBindingPattern(name)) {
          for (const element of name.getElements()) {
            bindings.named.set((element.getPropertyNameNode() ?? element.getNameNode()).getText(), element.getNameNode().getText());
          }
        }
      }
    }
  }
  return bindings;
}

/** Every `const app = <factory>(…)` of `framework` in the file. */
export function findAppCreations(parsed: ParsedFile, framework: Exclude<HookFramework, 'trpc'>): AppCreation[] {
  const { Node } = parsed;
  const factory = factories[framework];
  const bindings = bindingsOf(parsed, (specifier) => specifier === factory.module);
  const names = new Set(factory.exports.flatMap((name) => (name === '*' ? bindings.whole : [bindings.named.get(name) ?? []].flat())));
  const inlineRequire = (node: MorphNode): boolean => loadedSpecifier(parsed, node) === factory.module;
  const creates = (init: MorphNode): boolean => {
    if (factory.creation === 'call') {
      if (!Node.isCallExpression(init)) return false;
      const callee = init.getExpression();
      return names.has(callee.getText()) || inlineRequire(callee);
    }
    if (factory.creation === 'new') return Node.isNewExpression(init) && names.has(init.getExpression().getText());
    if (!Node.isAwaitExpression(init)) return false;
    const call = init.getExpression();
    if (!Node.isCallExpression(call)) return false;
    const callee = call.getExpression();
    return Node.isPropertyAccessExpression(callee) && callee.getName() === 'create' && names.has(callee.getExpression().getText());
  };
  if (names.size === 0 && factory.creation !== 'call') return [];
  const found: AppCreation[] = [];
  for (const node of parsed.file.getDescendants()) {
    if (!Node.isVariableDeclaration(node)) continue;
    const init = node.getInitializer();
    if (!init || !Node.isIdentifier(node.getNameNode()) || !creates(init)) continue;
    const statement = node.getParent()?.getParent();
    const container = statement?.getParent();
    if (!statement || !Node.isVariableStatement(statement) || !container) continue;
    if (Node.isSourceFile(container) || Node.isBlock(container)) {
      found.push({ app: node.getName(), statement, siblings: container.getStatements(), topLevel: Node.isSourceFile(container) });
    }
  }
  return found;
}
