// tRPC: `onError: trpcOnError()` in the adapter's options (createHTTPServer, createExpressMiddleware,
// fastifyTRPCPlugin, fetchRequestHandler...). tRPC catches a procedure's error and answers with
// its own error shape; INTERNAL_SERVER_ERROR is the 5xx case. The thrown error is the cause.
// `trpcOnError(theirs)` reports, then calls the app's own onError and returns what it returns.
import { reportRequestError } from './request-error.js';

interface TrpcErrorLike {
  code?: string;
  cause?: unknown;
}

interface TrpcOnErrorOptions {
  error: TrpcErrorLike;
  path?: string;
  type?: string;
  req?: { method?: string; url?: string };
}

export function trpcOnError<O extends TrpcOnErrorOptions, T>(theirs?: (options: O) => T): (options: O) => T | undefined {
  return function ezPixelTrpcOnError(options) {
    const error = options?.error;
    if (error?.code === 'INTERNAL_SERVER_ERROR') {
      const thrown = error.cause instanceof Error ? error.cause : error;
      reportRequestError(thrown, options.req?.method, options.req?.url, { trpc: { path: options.path, type: options.type } });
    }
    return typeof theirs === 'function' ? theirs(options) : undefined;
  };
}
