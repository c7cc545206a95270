// Nitro (Nuxt's server): `nitroApp.hooks.hook('error', nitroErrorHook())` in a server plugin.
// Nitro calls its error hook with every error a request ends with (route handlers, middleware
// and server-side rendering alike), wrapped in an H3Error that carries the status; what the app
// threw is its cause. Errors without a request (a rejected promise Nitro trapped) are left to the
// SDK's own process hooks, so none is reported twice.
import { reportRequestError, statusOf } from './request-error.js';

interface H3EventLike {
  method?: string;
  path?: string;
}

export function nitroErrorHook(): (error: unknown, context?: { event?: H3EventLike }) => void {
  return function ezPixelNitroErrors(error, context) {
    const event = context?.event;
    if (!event || statusOf(error) < 500) return;
    reportRequestError(thrownBy(error), event.method, event.path);
  };
}

/** The error the app threw, out of h3's wrapper (its class is marked `__h3_error__`); an H3Error made by createError() is itself the error. */
function thrownBy(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return error;
  const { cause, constructor } = error as { cause?: unknown; constructor?: { __h3_error__?: unknown } };
  return constructor?.__h3_error__ === true && cause instanceof Error ? cause : error;
}
