// Next.js: export this as `onRequestError` from instrumentation.ts and Next calls it for errors
// in server components, route handlers, server actions and middleware. The parameter types are
// the subset of Next's `Instrumentation.onRequestError` used here, so no dependency on next.
import { activeClient } from '../active-client.js';
import { debug } from '../diagnostics.js';

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
  try {
    const digest = typeof error === 'object' && error !== null ? (error as { digest?: unknown }).digest : undefined;
    activeClient()?.capture({
      kind: 'error',
      value: error,
      message: '',
      level: 'error',
      manual: false,
      context: {
        request: { method: request?.method, path: typeof request?.path === 'string' ? request.path.split('?')[0] : undefined },
        next: { routerKind: context?.routerKind, routePath: context?.routePath, routeType: context?.routeType, ...(typeof digest === 'string' ? { digest } : {}) },
      },
      timestamp: Date.now(),
    });
  } catch (failure) {
    debug('captureRequestError failed', failure);
  }
}
