// The framework integrations against the real packages: an Express app in a child process,
// and captureRequestError called the way Next.js calls onRequestError, typechecked against
// next's own Instrumentation types.
import { execFileSync, spawn } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeApp } from './helpers/child-app.js';
import { cjsEntry, packageDir } from './helpers/build.js';
import { useIngestServer } from './helpers/ingest-server.js';

const ingest = useIngestServer();

// The SDK delivers several events at once, so they may arrive in any order: compare them by message.
function byMessage<T extends { message: string }>(events: T[]): T[] {
  return [...events].sort((a, b) => a.message.localeCompare(b.message));
}

describe('expressErrorHandler', () => {
  it('reports 5xx errors with method and path only, ignores 4xx, and passes every error on', async () => {
    const app = makeApp();
    const before = ingest().received.length;
    const script = app.write('server.js', `const express = require(${JSON.stringify(join(packageDir, 'node_modules/express'))});
const { initPixel, expressErrorHandler, flushPixel } = require(${JSON.stringify(cjsEntry)});
initPixel({ projectKey: 'pk_test_express', ingestUrl: process.env.INGEST });
const app = express();
app.get('/orders/:id', (req) => { throw new Error('order ' + req.params.id + ' is broken'); });
app.get('/missing', () => { throw Object.assign(new Error('no such thing'), { status: 404 }); });
app.get('/async', async () => { await null; throw new RangeError('async route failed'); });
app.use(expressErrorHandler());
app.use((err, req, res, next) => res.status(err.status || 500).send('app handler: ' + err.message));
const listener = app.listen(0, '127.0.0.1', async () => {
  const base = 'http://127.0.0.1:' + listener.address().port;
  for (const path of ['/orders/7?token=secret', '/missing', '/async']) {
    const res = await fetch(base + path);
    console.log(res.status, await res.text());
  }
  await flushPixel();
  listener.close();
});`);
    const result = await app.run(script, { env: { INGEST: ingest().url } });
    expect(result.stdout).toBe('500 app handler: order 7 is broken\n404 app handler: no such thing\n500 app handler: async route failed\n');
    const events = byMessage(ingest().events.slice(before));
    expect(events.map((e) => [e.type, e.message, e.context])).toEqual([
      ['RangeError', 'async route failed', { request: { method: 'GET', path: '/async' } }],
      ['Error', 'order 7 is broken', { request: { method: 'GET', path: '/orders/7' } }],
    ]);
    expect(events[1]!.stack[0]).toMatchObject({ file: 'server.js', line: 5, in_app: true });
    // Express 5 routes through the `router` package: library frames are relative to node_modules.
    expect(events[1]!.stack).toContainEqual(expect.objectContaining({ file: 'router/lib/layer.js', in_app: false }));
    expect(ingest().invalid).toEqual([]);
  });
});

describe('trpcOnError(theirs)', () => {
  it("reports an INTERNAL_SERVER_ERROR's cause once, then runs the app's own onError and returns its result; other codes only reach theirs", async () => {
    const app = makeApp();
    const before = ingest().received.length;
    // The options tRPC's adapters hand onError: { error: TRPCError, path, type, req, ... }.
    const script = app.write('server.js', `const { initPixel, trpcOnError, flushPixel } = require(${JSON.stringify(cjsEntry)});
initPixel({ projectKey: 'pk_test_trpc', ingestUrl: process.env.INGEST });
const seen = [];
const onError = trpcOnError((options) => { seen.push(options.error.code); return 'theirs:' + options.path; });
const failure = new Error('quote table corrupt');
console.log(onError({ error: { code: 'INTERNAL_SERVER_ERROR', cause: failure }, path: 'quote', type: 'query', req: { method: 'POST', url: '/trpc/quote?batch=1&token=secret' } }));
console.log(onError({ error: { code: 'NOT_FOUND' }, path: 'missing', type: 'query', req: { method: 'GET', url: '/trpc/missing' } }));
console.log(seen.join(','));
flushPixel().then(() => process.exit(0));`);
    const result = await app.run(script, { env: { INGEST: ingest().url } });
    expect(result.stdout).toBe('theirs:quote\ntheirs:missing\nINTERNAL_SERVER_ERROR,NOT_FOUND\n');
    const events = ingest().events.slice(before);
    expect(events.map((e) => [e.message, e.context])).toEqual([['quote table corrupt', { request: { method: 'POST', path: '/trpc/quote' }, trpc: { path: 'quote', type: 'query' } }]]);
    expect(events[0]!.stack[0]).toMatchObject({ file: 'server.js', line: 5, in_app: true });
  });
});

describe('nitroErrorHook (Nitro\'s error hook)', () => {
  it("reports a 5xx request's thrown error (out of h3's wrapper) with method and path; 4xx and errors without a request are left alone", async () => {
    const app = makeApp();
    const before = ingest().received.length;
    // Nitro calls hooks.callHook('error', error, { event, tags }) with an H3Error: its class is
    // marked __h3_error__, the status is statusCode and what the route threw is the cause.
    const script = app.write('server.js', `const { initPixel, nitroErrorHook, flushPixel } = require(${JSON.stringify(cjsEntry)});
initPixel({ projectKey: 'pk_test_nitro', ingestUrl: process.env.INGEST });
class H3Error extends Error { static __h3_error__ = true; constructor(message, statusCode, cause) { super(message, { cause }); this.statusCode = statusCode; } }
const hook = nitroErrorHook();
const thrown = new TypeError('cart is undefined');
hook(new H3Error(thrown.message, 500, thrown), { event: { method: 'POST', path: '/api/cart?token=secret' }, tags: ['request'] });
hook(new H3Error('Page not found: /nope', 404, { statusCode: 404 }), { event: { method: 'GET', path: '/nope' }, tags: ['request'] });
hook(new H3Error('quota exceeded', 503, { statusCode: 503 }), { event: { method: 'GET', path: '/api/quota' }, tags: ['request'] });
hook(new Error('trapped rejection'), { tags: ['unhandledRejection'] });
hook(undefined, undefined);
flushPixel().then((done) => console.log(done));`);
    const result = await app.run(script, { env: { INGEST: ingest().url } });
    expect(result.stdout).toBe('true\n');
    const events = byMessage(ingest().events.slice(before));
    expect(events.map((e) => [e.type, e.message, e.context])).toEqual([
      ['TypeError', 'cart is undefined', { request: { method: 'POST', path: '/api/cart' } }],
      ['H3Error', 'quota exceeded', { request: { method: 'GET', path: '/api/quota' } }],
    ]);
    expect(events[0]!.stack[0]).toMatchObject({ file: 'server.js', line: 5, in_app: true });
    expect(ingest().invalid).toEqual([]);
  });
});

describe('captureRequestError (Next.js onRequestError)', () => {
  it("typechecks as next's Instrumentation.onRequestError", () => {
    // test/next-instrumentation.ts assigns it to the type; tsc fails the test if it does not fit.
    execFileSync(process.execPath, [join(packageDir, 'node_modules/typescript/bin/tsc'), '-p', join(packageDir, 'test/tsconfig.json'), '--noEmit'], { stdio: 'pipe' });
  });

  it('reports the error with the route, without the query string or headers', async () => {
    const app = makeApp();
    const before = ingest().received.length;
    const script = app.write('instrumentation.js', `const { initPixel, captureRequestError, flushPixel } = require(${JSON.stringify(cjsEntry)});
initPixel({ projectKey: 'pk_test_next', ingestUrl: process.env.INGEST });
async function GET() { throw Object.assign(new Error('route handler failed'), { digest: '2817492' }); }
GET().catch(async (error) => {
  await captureRequestError(error, { path: '/api/users?token=secret', method: 'GET', headers: { cookie: 'session=secret' } },
    { routerKind: 'App Router', routePath: '/api/users', routeType: 'route', revalidateReason: undefined, renderSource: undefined });
  console.log(await flushPixel());
});`);
    const result = await app.run(script, { env: { INGEST: ingest().url } });
    expect(result.stdout).toBe('true\n');
    const [event, ...rest] = ingest().events.slice(before);
    expect(rest).toEqual([]);
    expect(event).toMatchObject({ type: 'Error', message: 'route handler failed', level: 'error', manual_report: false });
    expect(event!.context).toEqual({ request: { method: 'GET', path: '/api/users' }, next: { routerKind: 'App Router', routePath: '/api/users', routeType: 'route', digest: '2817492' } });
    expect(JSON.stringify(event!.context)).not.toContain('secret');
  });
});

describe('captureSvelteKitError (SvelteKit handleError)', () => {
  it('reports a 5xx with method, path and route id, leaves out 404s, and never throws on an odd input', async () => {
    const app = makeApp();
    const before = ingest().received.length;
    // The input SvelteKit hands handleError: { error, event, status, message }.
    const script = app.write('hooks.server.js', `const { initPixel, captureSvelteKitError, flushPixel } = require(${JSON.stringify(cjsEntry)});
initPixel({ projectKey: 'pk_test_sveltekit', ingestUrl: process.env.INGEST });
const event = (path, id) => ({ request: { method: 'POST', headers: { cookie: 'session=secret' } }, url: new URL('http://127.0.0.1' + path + '?token=secret'), route: { id } });
captureSvelteKitError({ error: new TypeError('invoice loader failed'), event: event('/invoices/7', '/invoices/[id]'), status: 500, message: 'Internal Error' });
captureSvelteKitError({ error: new Error('Not found: /nowhere'), event: event('/nowhere', null), status: 404, message: 'Not Found' });
captureSvelteKitError(null);
captureSvelteKitError({ error: new Error('no event'), get event() { throw new Error('getter'); } });
flushPixel().then((ok) => console.log(ok));`);
    const result = await app.run(script, { env: { INGEST: ingest().url } });
    expect(result.stdout).toBe('true\n');
    const events = ingest().events.slice(before);
    expect(events.map((e) => [e.type, e.message, e.context])).toEqual([
      ['TypeError', 'invoice loader failed', { request: { method: 'POST', path: '/invoices/7' }, sveltekit: { route: '/invoices/[id]' } }],
    ]);
    expect(events[0]!.stack[0]).toMatchObject({ file: 'hooks.server.js', line: 4, in_app: true });
    expect(JSON.stringify(events[0]!.context)).not.toContain('secret');
  });
});

describe('captureRouterError (React Router handleError)', () => {
  it('reports a failed request once with method and path; a route error response (a 404) and an aborted request are no event', async () => {
    const app = makeApp();
    const before = ingest().received.length;
    const script = app.write('entry.server.js', `const { initPixel, captureRouterError, flushPixel } = require(${JSON.stringify(cjsEntry)});
initPixel({ projectKey: 'pk_test_router', ingestUrl: process.env.INGEST });
const request = new Request('http://app.test/invoices/7?token=secret', { method: 'POST', headers: { cookie: 'session=secret' } });
// What React Router hands handleError for an unmatched URL (its ErrorResponseImpl's fields).
const notFound = { status: 404, statusText: 'Not Found', internal: true, data: 'Error: No route matches URL', error: new Error('No route') };
const aborted = new AbortController();
aborted.abort();
captureRouterError(notFound, { request });
captureRouterError(new Error('went away'), { request: new Request('http://app.test/slow', { signal: aborted.signal }) });
captureRouterError(new Error('invoice 7 action failed'), { request, params: { id: '7' }, context: {} });
captureRouterError(new Error('no args'), undefined);
flushPixel().then((done) => console.log(done));`);
    const result = await app.run(script, { env: { INGEST: ingest().url } });
    expect(result.stdout).toBe('true\n');
    const events = ingest().events.slice(before);
    expect(events.map((event) => event.message)).toEqual(['invoice 7 action failed', 'no args']);
    expect(events[0]).toMatchObject({ type: 'Error', level: 'error', manual_report: false, context: { request: { method: 'POST', path: '/invoices/7' } } });
    expect(JSON.stringify(events)).not.toContain('secret');
  });
});

describe('a real Next.js app (next build + next start)', () => {
  it('reports an App Router route handler error through instrumentation.js onRequestError', async () => {
    const app = makeApp();
    symlinkSync(join(packageDir, 'node_modules'), join(app.dir, 'node_modules'));
    app.write('package.json', '{ "name": "next-fixture", "private": true }');
    app.write('next.config.mjs', 'export default {};');
    app.write('app/layout.js', 'export default function RootLayout({ children }) { return <html><body>{children}</body></html>; }');
    app.write('app/api/orders/route.js', "export const dynamic = 'force-dynamic';\nexport async function GET() {\n  throw new Error('route handler exploded');\n}\n");
    // The SDK comes from this checkout; __non_webpack_require__ keeps webpack from bundling it.
    app.write('instrumentation.js', `export function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    __non_webpack_require__(process.env.EZ_PIXEL_SDK).initPixel({ projectKey: 'pk_test_next', ingestUrl: process.env.INGEST });
  }
}
export function onRequestError(error, request, context) {
  return __non_webpack_require__(process.env.EZ_PIXEL_SDK).captureRequestError(error, request, context);
}
`);
    const next = join(packageDir, 'node_modules/next/dist/bin/next');
    const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', EZ_PIXEL_SDK: cjsEntry, INGEST: ingest().url, EZ_PIXEL_CACHE_DIR: app.cacheDir };
    // Webpack rather than Turbopack: Turbopack refuses a node_modules linked from outside the app.
    execFileSync(process.execPath, [next, 'build', '--webpack'], { cwd: app.dir, env, stdio: 'pipe' });

    const before = ingest().received.length;
    const started = spawn(process.execPath, [next, 'start', '-H', '127.0.0.1', '-p', '0'], { cwd: app.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        started.stdout.on('data', (d) => {
          out += d;
          const match = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
          if (match && out.includes('Ready')) resolve(`http://127.0.0.1:${match[1]}`);
        });
        started.on('exit', (code) => reject(new Error(`next start exited ${code}: ${out}`)));
      });
      const response = await fetch(`${url}/api/orders?token=secret`);
      expect(response.status).toBe(500);
      const [event] = await ingest().waitFor(before + 1).then((all) => all.slice(before).map((r) => r.event));
      expect(event).toMatchObject({ type: 'Error', message: 'route handler exploded', level: 'error' });
      expect(event!.context).toEqual({ request: { method: 'GET', path: '/api/orders' }, next: { routerKind: 'App Router', routePath: '/api/orders', routeType: 'route' } });
      expect(event!.stack[0]).toMatchObject({ file: '.next/server/app/api/orders/route.js', in_app: true });
    } finally {
      started.kill();
    }
  }, 120_000);
});
