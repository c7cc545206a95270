/**
 * Where a web framework's app is created: the local names a file binds a framework module to, and
 * the `const app = <factory>(…)` declarations that use them, at the top level or inside a function
 * (`function buildApp() { const app = Fastify(); … return app; }`), possibly configured in the same
 * chained statement (`new Koa().use(…)`, `express().use(…)`, `Fastify().register(…)`). Only a plain
 * `const|let|var <identifier> = …` statement counts; anything else is left to the user.
 */
import type { CallExpression, Node as MorphNode, Statement } from 'ts-morph';
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
  /** The method calls chained onto the creation, in order (`.use(a)` then `.use(b)`); empty for `const app = new Koa()`. */
  chain: CallExpression[];
}

/** What `import`/`require` bound from one module: the whole module, and named exports (export → local). */
interface Bindings {
  whole: string[];
  named: Map<string, string>;
}

type Creation = 'call' | 'new' | 'await-create';

interface Factory {
  /** module → the export(s) that make an app (`*` is the whole module). */
  modules: Record<string, string[]>;
  creation: Creation;
  /** The app's methods that return the app itself, so `const app = <creation>.m(…).m(…)` is still the app. */
  chainable: string[];
}

const routeMethods = ['get', 'post', 'put', 'patch', 'delete', 'all', 'options', 'head'];

/** framework → how its app is made. */
const factories: Record<Exclude<HookFramework, 'trpc'>, Factory> = {
  express: { modules: { express: ['*'] }, creation: 'call', chainable: ['use', 'set', 'enable', 'disable', 'engine', 'param', ...routeMethods] },
  fastify: {
    modules: { fastify: ['*', 'fastify', 'default'] },
    creation: 'call',
    chainable: ['register', 'addHook', 'decorate', 'decorateRequest', 'decorateReply', 'setErrorHandler', 'setNotFoundHandler', 'addSchema', 'addContentTypeParser', 'setValidatorCompiler', 'setSerializerCompiler', 'withTypeProvider', 'route', ...routeMethods],
  },
  koa: { modules: { koa: ['*', 'default'] }, creation: 'new', chainable: ['use'] },
  // @hono/zod-openapi's OpenAPIHono is a Hono app with typed routes.
  hono: { modules: { hono: ['Hono'], '@hono/zod-openapi': ['OpenAPIHono'] }, creation: 'new', chainable: ['use', 'route', 'basePath', 'onError', 'notFound', 'on', 'openapi', 'doc', ...routeMethods] },
  nest: { modules: { '@nestjs/core': ['NestFactory'] }, creation: 'await-create', chainable: [] },
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
  const names = new Set<string>();
  for (const [module, exports] of Object.entries(factory.modules)) {
    const bindings = bindingsOf(parsed, (specifier) => specifier === module);
    for (const name of exports) for (const local of name === '*' ? bindings.whole : [bindings.named.get(name) ?? []].flat()) names.add(local);
  }
  const inlineRequire = (node: MorphNode): boolean => {
    const specifier = loadedSpecifier(parsed, node);
    return specifier !== null && specifier in factory.modules;
  };
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
  const helpers = helpersReturningApps(parsed, (node) => creates(unchain(parsed, node, factory.chainable).root));
  const createsOrHelps = (init: MorphNode): boolean =>
    creates(init) || (Node.isCallExpression(init) && Node.isIdentifier(init.getExpression()) && helpers.has(init.getExpression().getText()));
  const found: AppCreation[] = [];
  for (const node of parsed.file.getDescendants()) {
    if (!Node.isVariableDeclaration(node)) continue;
    const init = node.getInitializer();
    if (!init || !Node.isIdentifier(node.getNameNode())) continue;
    const { root, chain } = unchain(parsed, init, factory.chainable);
    if (!createsOrHelps(root)) continue;
    const statement = node.getParent()?.getParent();
    const container = statement?.getParent();
    if (!statement || !Node.isVariableStatement(statement) || !container) continue;
    if (Node.isSourceFile(container) || Node.isBlock(container)) {
      found.push({ app: node.getName(), statement, siblings: container.getStatements(), topLevel: Node.isSourceFile(container), chain });
    }
  }
  return found;
}

/**
 * The file's own helpers that hand back a new app directly (`function createRouter() { return new
 * OpenAPIHono(…) }`, `const make = () => express()`): `const app = createRouter()` is where that app
 * is created. A helper that returns a variable already shows its `const app = …` to the search.
 */
function helpersReturningApps(parsed: ParsedFile, isCreation: (node: MorphNode) => boolean): Set<string> {
  const { Node } = parsed;
  const helpers = new Set<string>();
  const returnsCreation = (fn: MorphNode, body: MorphNode | undefined): boolean => {
    if (!body) return false;
    if (!Node.isBlock(body)) return isCreation(body);
    return body.getDescendants().some((node) => {
      if (!Node.isReturnStatement(node)) return false;
      const returned = node.getExpression();
      // Its own return, not one of a function nested in it.
      return returned !== undefined && node.getFirstAncestor((ancestor) => Node.isFunctionLikeDeclaration(ancestor)) === fn && isCreation(returned);
    });
  };
  for (const node of parsed.file.getDescendants()) {
    if (Node.isFunctionDeclaration(node) && node.getName() && returnsCreation(node, node.getBody())) helpers.add(node.getName()!);
    if (Node.isVariableDeclaration(node) && Node.isIdentifier(node.getNameNode())) {
      const init = node.getInitializer();
      if (init && (Node.isArrowFunction(init) || Node.isFunctionExpression(init)) && returnsCreation(init, init.getBody())) helpers.add(node.getName());
    }
  }
  return helpers;
}

/** `new Koa().use(a).use(b)` → `new Koa()` and the two `.use` calls; stops at a method that does not return the app (`.listen()`). */
function unchain(parsed: ParsedFile, init: MorphNode, chainable: string[]): { root: MorphNode; chain: CallExpression[] } {
  const { Node } = parsed;
  const chain: CallExpression[] = [];
  let node = init;
  for (;;) {
    if (!Node.isCallExpression(node)) break;
    const callee = node.getExpression();
    if (!Node.isPropertyAccessExpression(callee) || !chainable.includes(callee.getName())) break;
    const inner = callee.getExpression();
    if (!Node.isCallExpression(inner) && !Node.isNewExpression(inner)) break;
    chain.unshift(node);
    node = inner;
  }
  // Nothing chained: the initialiser is the creation itself (a `.listen()` on it is not the app).
  return chain.length === 0 ? { root: init, chain } : { root: node, chain };
}
