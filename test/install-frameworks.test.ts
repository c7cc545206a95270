// End to end for each web framework's request-error hook: install --yes with real npm, the app
// started as its own scripts start it (npm start, after npm run build for Nest), a real request
// to a route that throws, and exactly one event at a real ingest on 127.0.0.1 with the route's
// file as an in-app frame and only {method, path} as the request. Then uninstall: every tracked
// file byte-identical, nothing install created left behind.
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { copyFixture } from './helpers/fixtures.js';
import { npmStart, until } from './helpers/run-app.js';
import { git, quietEnv, runCli, useSuiteIngest } from './install-helpers.js';

interface Case {
  fixture: string;
  /** The file the throwing route lives in, as the event's in-app frame names it. */
  routeFile: string;
  message: string;
  /** Where the hook went (the file that creates the app). */
  hookIn: string;
  /** A request that answers 200 once the app is up. */
  ready: string;
  build?: boolean;
  /** A request that fails with a 4xx and must not be reported. */
  clientError?: string;
  /** The framework's own 500 answer, which the hook must leave as it was. */
  answer?: unknown;
  /** The route that throws, when not /boom. */
  failing?: string;
  /** What the app's own error handling prints for the failed request: it must still run. */
  ownHandler?: RegExp;
}

const cases: Case[] = [
  { fixture: 'node-express-split', routeFile: 'src/routes/reports.js', message: 'express report generation failed', hookIn: 'src/app.js', ready: '/' },
  { fixture: 'node-fastify-app', routeFile: 'src/routes/reports.js', message: 'fastify report generation failed', hookIn: 'src/app.js', ready: '/', clientError: '/missing' },
  { fixture: 'node-koa', routeFile: 'routes/books.js', message: 'koa catalogue lookup failed', hookIn: 'server.js', ready: '/' },
  { fixture: 'node-hono', routeFile: 'src/books.js', message: 'hono shelf index corrupt', hookIn: 'src/index.js', ready: '/' },
  { fixture: 'node-nest-api', routeFile: 'src/reports/reports.controller.ts', message: 'nest report generation failed', hookIn: 'src/main.ts', ready: '/', build: true, clientError: '/missing', answer: { statusCode: 500, message: 'Internal server error' } },
  { fixture: 'node-trpc', routeFile: 'src/router.js', message: 'trpc quote computation failed', hookIn: 'src/server.js', ready: '/hello' },
  // NestJS apps with their own catch-all @Catch() filter (an APP_FILTER provider, or app.useGlobalFilters): each 5xx is still reported once, and theirs still answers.
  ...(['node-nest-app-filter', 'node-nest-global-filter'] as const).map((fixture) => ({
    fixture,
    routeFile: 'src/reports/reports.controller.ts',
    message: `${fixture}: ledger total overflowed`,
    hookIn: 'src/main.ts',
    ready: '/',
    build: true,
    clientError: '/missing',
    answer: { statusCode: 500, handledBy: 'AllExceptionsFilter' },
    ownHandler: /AllExceptionsFilter answered 500: .*ledger total overflowed/,
  })),
  // tsx follows the tsconfig aliases (@/app, ~/server) from src/index.ts to the file that creates the app.
  { fixture: 'node-ts-paths', routeFile: 'src/routes/reports.ts', message: 'aliased ledger export failed', hookIn: 'src/app.ts', ready: '/' },
  // The app is created and configured in one chained statement.
  { fixture: 'node-koa-chained', routeFile: 'routes/ledger.js', message: 'koa chained ledger unbalanced', hookIn: 'server.js', ready: '/' },
  { fixture: 'node-express-chained', routeFile: 'src/orders.js', message: 'express chained order book locked', hookIn: 'src/index.js', ready: '/' },
  { fixture: 'node-fastify-chained', routeFile: 'src/invoices.js', message: 'fastify chained invoice missing totals', hookIn: 'src/server.js', ready: '/', clientError: '/missing' },
  // tRPC as a Fastify plugin, with its own onError in trpcOptions: ours reports, theirs still runs.
  { fixture: 'node-trpc-fastify', routeFile: 'src/router.js', message: 'trpc fastify rate table missing', hookIn: 'src/server.js', ready: '/trpc/hello', failing: '/trpc/boom', ownHandler: /tRPC handler failed on boom: trpc fastify rate table missing/ },
  // The app's own error middleware answers every error and never rethrows: the error is still reported once.
  { fixture: 'node-koa-own-catch', routeFile: 'routes/parcels.js', message: 'koa parcel weight negative', hookIn: 'server.js', ready: '/', clientError: '/missing', ownHandler: /own error middleware answered 500: koa parcel weight negative/ },
  // The app comes from a helper that returns new OpenAPIHono(), called inside createApp() in another file.
  { fixture: 'node-hono-factory', routeFile: 'src/routes/reports.js', message: 'hono factory report totals diverged', hookIn: 'src/lib/create-app.js', ready: '/', answer: { message: 'hono factory report totals diverged', handledBy: 'own onError' } },
  { fixture: 'node-hono-openapi', routeFile: 'src/forecasts.js', message: 'openapi forecast model diverged', hookIn: 'src/index.js', ready: '/' },
];

const ingest = useSuiteIngest();

describe.each(cases)('$fixture', (test) => {
  it('install → a failing request reaches the ingest once → uninstall leaves no trace', async () => {
    const dir = await copyFixture(test.fixture);
    const install = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest().url], { cwd: dir });
    expect(install.exitCode, install.stderr).toBe(0);
    expect(install.stderr).not.toMatch(/add it by hand|add the hook/);
    expect(await git(dir, ['diff', '--', test.hookIn])).toMatch(/^\+.*\/\/ ez-pixel$/m);
    if (test.build) {
      const build = await execa('npm', ['run', 'build'], { cwd: dir, env: quietEnv, reject: false, all: true });
      expect(build.exitCode, String(build.all)).toBe(0);
    }

    const seen = ingest().accepted.length;
    const server = npmStart(dir);
    try {
      const port = await until(() => /listening on (\d+)/.exec(server.output())?.[1], 60_000, () => `the app to listen:\n${server.output()}`);
      const base = `http://127.0.0.1:${port}`;
      expect((await fetch(base + test.ready)).status).toBe(200);
      if (test.clientError) expect((await fetch(base + test.clientError)).status).toBe(404);
      const failing = test.failing ?? '/boom';
      const failed = await fetch(`${base}${failing}?token=secret`, { headers: { cookie: 'session=secret' } });
      expect(failed.status).toBe(500);
      if (test.answer) expect(await failed.json()).toEqual(test.answer);
      const event = await until(() => ingest().accepted.slice(seen)[0]?.event, 30_000, () => `an event at the ingest; the app said:\n${server.output()}`);
      // One event per failed request: give a second report time to arrive, then count.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(ingest().accepted.slice(seen).map((accepted) => accepted.event.message)).toEqual([test.message]);
      const frames = event.stack.filter((frame) => frame.in_app).map((frame) => frame.file);
      expect(frames, `in-app frames: ${frames.join(', ')}`).toContain(test.routeFile);
      expect((event.context as { request?: unknown }).request).toEqual({ method: 'GET', path: failing });
      expect(JSON.stringify(event)).not.toContain('secret');
      if (test.ownHandler) expect(server.output()).toMatch(test.ownHandler);
    } finally {
      await server.stop();
    }

    const uninstall = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir });
    expect(uninstall.exitCode, uninstall.stderr).toBe(0);
    const left = (await git(dir, ['status', '--porcelain', '--ignored'])).split('\n').filter((line) => line && !/ (package-lock\.json|dist\/)$/.test(line));
    expect(left).toEqual([]);
  });
});
