// React Router framework mode (and Remix): call it from app/entry.server's
// `export function handleError(error, args)`, which React Router calls for what loaders, actions
// and rendering throw. It calls it too for every URL no route matches, for Responses the app
// throws on purpose (both are route error responses, known by their shape, as
// isRouteErrorResponse knows them) and for requests the client aborted: none of these failed.
import { debug } from '../diagnostics.js';
import { reportRequestError } from './request-error.js';

export interface RouterErrorArgs {
  request: { method: string; url: string; signal?: { aborted: boolean } };
}

export function captureRouterError(error: unknown, args: Readonly<RouterErrorArgs>): void {
  try {
    const request = args?.request;
    if (request?.signal?.aborted || isRouteErrorResponse(error)) return;
    reportRequestError(error, request?.method, request?.url);
  } catch (failure) {
    debug('reporting a React Router error failed', failure);
  }
}

function isRouteErrorResponse(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { status, statusText, internal } = error as { status?: unknown; statusText?: unknown; internal?: unknown };
  return typeof status === 'number' && typeof statusText === 'string' && typeof internal === 'boolean' && 'data' in error;
}
