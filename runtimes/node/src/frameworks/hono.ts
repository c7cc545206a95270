// Hono: a middleware, `app.use(honoErrorHandler())` right after `new Hono()`. Hono catches a
// handler's error itself, puts it in `c.error` and answers through app.onError, so this only
// looks after `next()`: a 5xx answer with an error is reported, and the response is untouched.
import { reportRequestError } from './request-error.js';

interface HonoContextLike {
  error?: unknown;
  res?: { status?: number };
  req?: { method?: string; path?: string; url?: string };
}

export function honoErrorHandler(): (c: HonoContextLike, next: () => Promise<void>) => Promise<void> {
  return async function ezPixelHonoErrors(c, next) {
    await next();
    const status = c?.res?.status;
    if (c?.error !== undefined && (typeof status !== 'number' || status >= 500)) {
      reportRequestError(c.error, c.req?.method, c.req?.path ?? c.req?.url);
    }
  };
}
