// Next.js: export this as `onRequestError` from instrumentation.ts and Next calls it for errors
// in server components, route handlers, server actions and middleware. The parameter types are
// the subset of Next's `Instrumentation.onRequestError` used here, so no dependency on next.
import { reportRequestError } from './request-error.js';

export interface NextRequestInfo {
  path: string;
  method: string;
}

export interface NextErrorContext {
  routerKind: string;
  routePath: string;
  routeType: string;
}

export function captureRequestError(error: unknown, request: Readonly<NextRequestInfo>, context: Readonly<NextErrorContext>): void {
  const digest = digestOf(error);
  reportRequestError(error, request?.method, request?.path, {
    next: { routerKind: context?.routerKind, routePath: context?.routePath, routeType: context?.routeType, ...(typeof digest === 'string' ? { digest } : {}) },
  });
}

/** Next's digest of a server error; a throwing getter (a Proxy) must not throw into Next. */
function digestOf(error: unknown): unknown {
  try {
    return typeof error === 'object' && error !== null ? (error as { digest?: unknown }).digest : undefined;
  } catch {
    return undefined;
  }
}
