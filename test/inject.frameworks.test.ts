// Request-error hooks for Fastify, Koa, Hono, NestJS and tRPC: where each line goes, that the
// import comes only with its registration, and that removal gives back every byte.
import { describe, expect, it } from 'vitest';
import { detect } from '../src/detectors/index.js';
import { removeInit, wireEntry } from '../src/inject/index.js';
import { removeRequestErrorHooks } from '../src/platforms/node/wiring/request-errors.js';
import type { NodeFramework, Project } from '../src/project.js';
import { initWiringFor } from '../src/templates/index.js';
import { makeProject, removeFixtureCopies } from './helpers/fixtures.js';
import { nodeProject, settings, tempProject } from './fixtures/inject/projects.js';
import { afterAll } from 'vitest';

afterAll(removeFixtureCopies);

async function wire(project: Project, files: Record<string, string>) {
  const wiring = initWiringFor(project, settings);
  const entry = project.entry as string;
  const read = async (path: string): Promise<string | null> => files[path] ?? null;
  const wired = await wireEntry(project, entry, files[entry] ?? null, wiring, read);
  if (wired.kind !== 'wired') throw new Error(`expected a wiring, got ${JSON.stringify(wired)}`);
  // Uninstall takes back exactly what went in, in every file.
  expect(await removeInit(project, wired.texts.get(entry) as string, wiring)).toEqual({ kind: 'remove', after: files[entry] });
  for (const [path, text] of wired.texts) {
    if (path !== entry) expect(removeRequestErrorHooks(text, wiring)).toMatchObject({ kind: 'removed', after: files[path] });
  }
  return wired;
}

const project = (framework: NodeFramework, entry: string, extra: Partial<Project> = {}): Project =>
  nodeProject({ framework, entry, root: tempProject({ 'package.json': '{}' }), ...extra });

describe('request-error hooks', () => {
  it('Fastify: an onError hook right after the instance is created, inside a build() factory in another file', async () => {
    const files = {
      'src/server.js': "import { build } from './app.js';\n\nconst app = await build();\nawait app.listen({ port: 3000 });\n",
      'src/app.js': "import Fastify from 'fastify';\n\nexport async function build() {\n  const app = Fastify({ logger: false });\n  app.get('/', async () => 'ok');\n  return app;\n}\n",
    };
    const { texts, followUps } = await wire(project('fastify', 'src/server.js', { moduleSystem: 'esm' }), files);
    expect(followUps).toEqual([]);
    expect(texts.get('src/app.js')).toBe(
      "import { fastifyErrorHook } from '@ez-pixel/node'; // ez-pixel\nimport Fastify from 'fastify';\n\nexport async function build() {\n  const app = Fastify({ logger: false });\n  app.addHook('onError', fastifyErrorHook()); // ez-pixel\n  app.get('/', async () => 'ok');\n  return app;\n}\n",
    );
  });

  it("Fastify in CommonJS: `require('fastify')({...})` inline", async () => {
    const files = { 'server.js': "const fastify = require('fastify')({ logger: true });\nfastify.get('/', async () => 'ok');\nfastify.listen({ port: 3000 });\n" };
    const { texts } = await wire(project('fastify', 'server.js', { moduleSystem: 'cjs' }), files);
    expect(texts.get('server.js')).toBe(
      "require('./ez-pixel.init.cjs'); // ez-pixel\nconst { fastifyErrorHook } = require('@ez-pixel/node'); // ez-pixel\nconst fastify = require('fastify')({ logger: true });\nfastify.addHook('onError', fastifyErrorHook()); // ez-pixel\nfastify.get('/', async () => 'ok');\nfastify.listen({ port: 3000 });\n",
    );
  });

  it('Koa: the first middleware, right after `new Koa()`', async () => {
    const files = { 'app.js': "const Koa = require('koa');\nconst app = new Koa();\napp.use(async (ctx) => { ctx.body = 'ok'; });\napp.listen(3000);\n" };
    const { texts } = await wire(project('koa', 'app.js', { moduleSystem: 'cjs' }), files);
    expect(texts.get('app.js')).toContain("const app = new Koa();\napp.use(koaErrorHandler()); // ez-pixel\napp.use(async (ctx)");
  });

  it("Hono: a middleware on the entry's app, not on the sub-apps it mounts", async () => {
    const files = {
      'src/index.ts': "import { serve } from '@hono/node-server';\nimport { Hono } from 'hono';\nimport books from './books';\n\nconst app = new Hono();\napp.route('/books', books);\n\nserve({ fetch: app.fetch, port: 3000 });\n",
      'src/books.ts': "import { Hono } from 'hono';\n\nconst books = new Hono();\nbooks.get('/', (c) => c.json([]));\n\nexport default books;\n",
    };
    const { texts } = await wire(project('hono', 'src/index.ts', { typescript: true }), files);
    expect(texts.get('src/index.ts')).toContain("const app = new Hono();\napp.use(honoErrorHandler()); // ez-pixel\napp.route('/books', books);");
    expect(texts.has('src/books.ts')).toBe(false);
  });

  it('NestJS: a global filter in bootstrap(), right after NestFactory.create', async () => {
    const files = {
      'src/main.ts': "import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\n\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  await app.listen(3000);\n}\nbootstrap();\n",
    };
    const { texts } = await wire(project('nest', 'src/main.ts', { typescript: true, moduleSystem: 'cjs' }), files);
    expect(texts.get('src/main.ts')).toContain("  const app = await NestFactory.create(AppModule);\n  app.useGlobalFilters(nestErrorFilter(app)); // ez-pixel\n  await app.listen(3000);");
    expect(texts.get('src/main.ts')).toContain("import { nestErrorFilter } from '@ez-pixel/node'; // ez-pixel\n");
  });

  it("tRPC: `onError` first in the adapter's options", async () => {
    const server = "import { createHTTPServer } from '@trpc/server/adapters/standalone';\nimport { appRouter } from './router.js';\n\ncreateHTTPServer({\n  router: appRouter,\n}).listen(3000);\n";
    const { texts } = await wire(project('trpc', 'server.js', { moduleSystem: 'esm' }), { 'server.js': server });
    expect(texts.get('server.js')).toContain('createHTTPServer({\n  onError: trpcOnError(), // ez-pixel\n  router: appRouter,\n})');
  });

  describe("tRPC with the user's own onError: theirs stays and still runs, ours joins it", () => {
    const server = (onError: string): string =>
      `import { createHTTPServer } from '@trpc/server/adapters/standalone';\nimport { appRouter } from './router.js';\n\ncreateHTTPServer({\n  router: appRouter,\n${onError}}).listen(3000);\n`;
    const wireTrpc = (text: string) => wire(project('trpc', 'server.js', { moduleSystem: 'esm' }), { 'server.js': text });

    it('`onError: handler,` gets ours after it, calling theirs', async () => {
      const { texts } = await wireTrpc(server('  onError: logError, // theirs\n'));
      expect(texts.get('server.js')).toContain('  onError: logError, // theirs\n  onError: trpcOnError(logError), // ez-pixel\n})');
    });

    it('shorthand `onError,` likewise', async () => {
      const { texts } = await wireTrpc(server('  onError,\n'));
      expect(texts.get('server.js')).toContain('  onError,\n  onError: trpcOnError(onError), // ez-pixel\n})');
    });

    it("a method with destructured options: ours first in its body, handed arguments[0]", async () => {
      const { texts } = await wireTrpc(server('  onError({ path, error }) {\n    console.error(path, error);\n  },\n'));
      expect(texts.get('server.js')).toContain('  onError({ path, error }) {\n    trpcOnError()(arguments[0]); // ez-pixel\n    console.error(path, error);\n  },');
    });

    it('an arrow function with a named options parameter: handed that', async () => {
      const { texts } = await wireTrpc(server('  onError: (opts) => {\n    console.error(opts.error);\n  },\n'));
      expect(texts.get('server.js')).toContain('  onError: (opts) => {\n    trpcOnError()(opts); // ez-pixel\n    console.error(opts.error);');
    });

    it('an arrow with destructured options and an expression body: handed back, theirs untouched', async () => {
      const { texts, followUps } = await wireTrpc(server('  onError: ({ error }) => console.error(error),\n'));
      expect(texts.get('server.js')).not.toContain('trpcOnError');
      expect(followUps[0]?.reason).toMatch(/own onError is an arrow function with destructured options/);
    });
  });

  it('tRPC as a Fastify plugin: in `trpcOptions` of `app.register(fastifyTRPCPlugin, …)`, through `satisfies`', async () => {
    const root = tempProject({ 'package.json': JSON.stringify({ dependencies: { fastify: '^5', '@trpc/server': '^11' } }) });
    const files = {
      'server.ts':
        "import Fastify from 'fastify';\nimport { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';\nimport { appRouter, type AppRouter } from './router';\n\nconst app = Fastify();\napp.register(fastifyTRPCPlugin, {\n  prefix: '/trpc',\n  trpcOptions: {\n    router: appRouter,\n    onError({ path, error }) {\n      console.error(path, error);\n    },\n  } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],\n});\napp.listen({ port: 3000 });\n",
    };
    const { texts, followUps } = await wire(nodeProject({ root, framework: 'fastify', entry: 'server.ts', typescript: true, moduleSystem: 'esm' }), files);
    expect(followUps).toEqual([]);
    expect(texts.get('server.ts')).toContain("const app = Fastify();\napp.addHook('onError', fastifyErrorHook()); // ez-pixel\n");
    expect(texts.get('server.ts')).toContain('    onError({ path, error }) {\n      trpcOnError()(arguments[0]); // ez-pixel\n      console.error(path, error);');
  });

  it('Express with tRPC inside: both hooks', async () => {
    const root = tempProject({ 'package.json': JSON.stringify({ dependencies: { express: '^5', '@trpc/server': '^11' } }) });
    const files = {
      'app.js': "import express from 'express';\nimport * as trpcExpress from '@trpc/server/adapters/express';\nimport { appRouter } from './router.js';\n\nconst app = express();\napp.use(\n  '/trpc',\n  trpcExpress.createExpressMiddleware({\n    router: appRouter,\n  }),\n);\napp.listen(3000);\n",
    };
    const { texts } = await wire(nodeProject({ root, framework: 'express', entry: 'app.js', moduleSystem: 'esm' }), files);
    expect(texts.get('app.js')).toContain('    onError: trpcOnError(), // ez-pixel\n    router: appRouter,');
    expect(texts.get('app.js')).toContain('app.use(expressErrorHandler()); // ez-pixel\napp.listen(3000);');
  });

  describe('an app created and configured in one chained statement', () => {
    it('Koa: ours goes to the front of app.middleware, ahead of the middleware chained on', async () => {
      const files = { 'app.js': "const Koa = require('koa');\nconst app = new Koa()\n  .use(router.routes())\n  .use(router.allowedMethods());\napp.listen(3000);\n" };
      const { texts } = await wire(project('koa', 'app.js', { moduleSystem: 'cjs' }), files);
      expect(texts.get('app.js')).toContain('  .use(router.allowedMethods());\napp.middleware.unshift(koaErrorHandler()); // ez-pixel\napp.listen(3000);');
    });

    it('Koa without a chain keeps the plain first middleware', async () => {
      const files = { 'app.js': "const Koa = require('koa');\nconst app = new Koa();\napp.listen(3000);\n" };
      const { texts } = await wire(project('koa', 'app.js', { moduleSystem: 'cjs' }), files);
      expect(texts.get('app.js')).toContain('const app = new Koa();\napp.use(koaErrorHandler()); // ez-pixel\n');
    });

    it('Express: after the routes chained on, before listen', async () => {
      const files = { 'index.js': "const express = require('express');\nconst app = express().use(express.json()).get('/', (req, res) => res.send('ok'));\napp.listen(3000);\n" };
      const { texts } = await wire(project('express', 'index.js', { moduleSystem: 'cjs' }), files);
      expect(texts.get('index.js')).toContain("res.send('ok'));\napp.use(expressErrorHandler()); // ez-pixel\napp.listen(3000);");
    });

    it("Express whose own error handler is in the chain: handed back, ours would never run", async () => {
      const files = { 'index.js': "const express = require('express');\nconst app = express().use(routes).use((err, req, res, next) => res.status(500).end());\napp.listen(3000);\n" };
      const { texts, followUps } = await wire(project('express', 'index.js', { moduleSystem: 'cjs' }), files);
      expect(followUps[0]?.reason).toMatch(/own error handler is chained onto its creation/);
      expect(texts.get('index.js')).not.toContain('expressErrorHandler');
    });

    it('Fastify: `Fastify({...}).register(plugin)` gets the onError hook (plugins load after it)', async () => {
      const files = { 'server.js': "import Fastify from 'fastify';\nconst app = Fastify({ logger: false }).register(routes);\nawait app.listen({ port: 3000 });\n" };
      const { texts } = await wire(project('fastify', 'server.js', { moduleSystem: 'esm' }), files);
      expect(texts.get('server.js')).toContain(".register(routes);\napp.addHook('onError', fastifyErrorHook()); // ez-pixel\n");
    });

    it('a chain ending in something that is not the app (`express().listen()`) is no app', async () => {
      const files = { 'index.js': "const express = require('express');\nconst server = express().use(routes).listen(3000);\n" };
      const { followUps } = await wire(project('express', 'index.js', { moduleSystem: 'cjs' }), files);
      expect(followUps[0]?.reason).toMatch(/no express app is created/);
    });

    it('Hono with routes chained on: handed back (a middleware added after them never runs for them)', async () => {
      const files = { 'index.js': "import { Hono } from 'hono';\nconst app = new Hono().get('/boom', () => { throw new Error('x'); });\nexport default app;\n" };
      const { followUps } = await wire(project('hono', 'index.js', { moduleSystem: 'esm' }), files);
      expect(followUps[0]?.reason).toMatch(/chained onto the creation of app/);
    });
  });

  describe('following tsconfig path aliases to the file that creates the app', () => {
    const tsconfig = (options: Record<string, unknown>): string => `// comments are allowed\n${JSON.stringify({ compilerOptions: options })}\n`;
    const app = "import express from 'express';\n\nexport const app = express();\napp.get('/', (_req, res) => res.send('ok'));\n";
    const server = (appSpecifier: string): string => `import { app } from '${appSpecifier}';\n\nexport function start() {\n  app.listen(3000);\n}\n`;

    it.each([
      ['`@/*` → src/* relative to baseUrl', { baseUrl: '.', paths: { '@/*': ['src/*'] } }, '@/server', 'src/server.ts', '@/app'],
      ['`~/server` exact, with no baseUrl (relative to the config)', { paths: { '~/server': ['./src/server/index.ts'], '@/*': ['./src/*'] } }, '~/server', 'src/server/index.ts', '@/app'],
      ['baseUrl alone (`src/server`)', { baseUrl: '.' }, 'src/server', 'src/server.ts', 'src/app'],
    ])('%s', async (_name, options, serverSpecifier, serverFile, appSpecifier) => {
      const files: Record<string, string> = {
        'tsconfig.json': tsconfig(options),
        'src/index.ts': `import { start } from '${serverSpecifier}';\nstart();\n`,
        [serverFile]: server(appSpecifier),
        'src/app.ts': app,
      };
      const { texts, followUps } = await wire(project('express', 'src/index.ts', { typescript: true, moduleSystem: 'esm' }), files);
      expect(followUps).toEqual([]);
      expect(texts.get('src/app.ts')).toBe(`import { expressErrorHandler } from '@ez-pixel/node'; // ez-pixel\n${app}app.use(expressErrorHandler()); // ez-pixel\n`);
    });

    it('an alias into node_modules or outside the project is not followed', async () => {
      const files = {
        'tsconfig.json': tsconfig({ baseUrl: '.', paths: { '@/*': ['../shared/*'], 'lib/*': ['node_modules/lib/*'] } }),
        'src/index.ts': "import { app } from '@/app';\nimport 'lib/app';\napp.listen(3000);\n",
        '../shared/app.ts': app,
        'node_modules/lib/app.ts': app,
      };
      const { followUps } = await wire(project('express', 'src/index.ts', { typescript: true, moduleSystem: 'esm' }), files);
      expect(followUps[0]?.reason).toMatch(/no express app is created in src\/index\.ts/);
    });
  });

  it("Hono through @hono/zod-openapi: `new OpenAPIHono()` is a Hono app", async () => {
    const files = { 'src/index.ts': "import { OpenAPIHono } from '@hono/zod-openapi';\n\nconst app = new OpenAPIHono();\napp.openapi(route, (c) => c.json({}));\n\nexport default app;\n" };
    const { texts } = await wire(project('hono', 'src/index.ts', { typescript: true }), files);
    expect(texts.get('src/index.ts')).toContain('const app = new OpenAPIHono();\napp.use(honoErrorHandler()); // ez-pixel\napp.openapi(');
  });

  it('a hook with no app to go on is handed back, and its import is not added', async () => {
    const files = { 'index.js': "const { startServer } = require('./lib/server');\nstartServer();\n" };
    const { texts, followUps } = await wire(project('koa', 'index.js', { moduleSystem: 'cjs' }), files);
    expect(texts.get('index.js')).toBe(`require('./ez-pixel.init.cjs'); // ez-pixel\n${files['index.js']}`);
    expect(followUps[0]?.reason).toMatch(/no koa app is created in index\.js/);
    expect(followUps[0]?.snippet).toContain('app.use(koaErrorHandler()); // ez-pixel');
  });
});

describe('detection: the app runs with what dependencies declare, not devDependencies', () => {
  const pkg = (fields: Record<string, unknown>): string => JSON.stringify({ name: 'svc', main: 'index.js', ...fields });

  it('express only in devDependencies (a test mock server) is not the framework', async () => {
    const dir = await makeProject('dev-express', { 'package.json': pkg({ devDependencies: { express: '^4', supertest: '^7' } }), 'index.js': 'console.log(1);\n' });
    const found = await detect(dir);
    expect('project' in found && found.project.framework).toBe('plain');
  });

  it.each([
    ['koa', { koa: '^2' }],
    ['hono', { hono: '^4' }],
    ['hono', { '@hono/zod-openapi': '^0.19' }],
    ['trpc', { '@trpc/server': '^11' }],
    ['fastify', { fastify: '^5', koa: '^2' }],
  ])('%s from dependencies', async (framework, dependencies) => {
    const dir = await makeProject(`dep-${framework}`, { 'package.json': pkg({ dependencies }), 'index.js': 'console.log(1);\n' });
    const found = await detect(dir);
    expect('project' in found && found.project.framework).toBe(framework);
  });
});
