// Koa: the first middleware, `app.use(koaErrorHandler())` right after `new Koa()`. It sees every
// error thrown below it, reports those that become 5xx and rethrows, so Koa's own handling
// (ctx.onerror, app.on('error') and its logging) runs exactly as before.
import { reportRequestError, statusOf } from './request-error.js';

interface KoaContextLike {
  method?: string;
  originalUrl?: string;
  url?: string;
}

export function koaErrorHandler(): (ctx: KoaContextLike, next: () => Promise<unknown>) => Promise<void> {
  return async function ezPixelKoaErrors(ctx, next) {
    try {
      await next();
    } catch (error) {
      // Koa answers ENOENT with 404 (ctx.onerror); anything else without a status is a 500.
      const missing = typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
      if (!missing && statusOf(error) >= 500) reportRequestError(error, ctx?.method, ctx?.originalUrl ?? ctx?.url);
      throw error;
    }
  };
}
