// Koa: the first middleware, `app.use(koaErrorHandler())` right after `new Koa()`. It sees every
// error thrown below it, reports those that become 5xx and rethrows, so Koa's own handling
// (ctx.onerror, app.on('error') and its logging) runs exactly as before.
//
// Many apps have their own error middleware (`try { await next() } catch (err) { ctx.status = 500 }`)
// that answers without rethrowing, so nothing reaches the first middleware. The middlewares after
// ours are therefore wrapped, once, to note the first error thrown out of them; when the request
// still ends with a 5xx, that error is reported.
import { reportRequestError, statusOf } from './request-error.js';

interface KoaContextLike {
  method?: string;
  originalUrl?: string;
  url?: string;
  status?: number;
  app?: { middleware?: unknown };
}

type Middleware = (ctx: KoaContextLike, next: () => Promise<unknown>) => unknown;

/** The first error thrown out of a wrapped middleware, per request. */
const thrownBelow = new WeakMap<object, unknown>();
const watchedStacks = new WeakSet<object>();

export function koaErrorHandler(): (ctx: KoaContextLike, next: () => Promise<unknown>) => Promise<void> {
  return async function ezPixelKoaErrors(ctx, next) {
    watchMiddlewareAfter(ctx, ezPixelKoaErrors);
    try {
      await next();
    } catch (error) {
      if (!isMissingFile(error) && statusOf(error) >= 500) report(ctx, error);
      throw error;
    }
    // The app's own error middleware answered it: still a failed request when it ended in a 5xx.
    if (ctx && thrownBelow.has(ctx) && typeof ctx.status === 'number' && ctx.status >= 500) report(ctx, thrownBelow.get(ctx));
  };
}

/** Koa answers ENOENT with 404 (ctx.onerror); anything else without a status is a 500. */
function isMissingFile(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
}

function report(ctx: KoaContextLike, error: unknown): void {
  reportRequestError(error, ctx?.method, ctx?.originalUrl ?? ctx?.url);
}

/**
 * koa-compose reads `app.middleware[i]` as it dispatches, so wrapping the entries in place at the
 * first request covers that request too. Only a stack that holds this very middleware is touched
 * (not one mounted elsewhere), and only once.
 */
function watchMiddlewareAfter(ctx: KoaContextLike, self: Middleware): void {
  const stack = ctx?.app?.middleware;
  if (!Array.isArray(stack) || watchedStacks.has(stack)) return;
  watchedStacks.add(stack);
  const position = stack.indexOf(self);
  if (position === -1) return;
  for (let index = position + 1; index < stack.length; index++) {
    const middleware = stack[index] as unknown;
    if (typeof middleware === 'function') stack[index] = noteThrows(middleware as Middleware);
  }
}

function noteThrows(middleware: Middleware): Middleware {
  return async function ezPixelNoteThrows(ctx, next) {
    try {
      return await middleware(ctx, next);
    } catch (error) {
      if (ctx && !thrownBelow.has(ctx)) thrownBelow.set(ctx, error);
      throw error;
    }
  };
}
