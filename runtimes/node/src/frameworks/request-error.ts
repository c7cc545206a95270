// What every framework integration shares: the status a failed request ends with, and one event
// for it carrying only the method and the path (query strings and headers often hold secrets).
import { activeClient } from '../active-client.js';
import { debug } from '../diagnostics.js';

/** The status an error asks for (err.status or err.statusCode when 4xx/5xx), else 500, as Express, Koa and Fastify decide it. */
export function statusOf(error: unknown): number {
  if (typeof error === 'object' && error !== null) {
    const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
    const given = typeof status === 'number' ? status : typeof statusCode === 'number' ? statusCode : undefined;
    if (given !== undefined && given >= 400 && given < 600) return given;
  }
  return 500;
}

/** A URL or path without its query string and fragment; a full URL keeps only its path. */
export function pathOnly(url: string): string {
  const path = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.test(url) ? url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '') || '/' : url;
  const query = path.search(/[?#]/);
  return query >= 0 ? path.slice(0, query) : path;
}

/** Reports a request's error; never throws into the framework. */
export function reportRequestError(error: unknown, method: unknown, url: unknown, extra: Record<string, unknown> = {}): void {
  try {
    activeClient()?.capture({
      kind: 'error',
      value: error,
      message: '',
      level: 'error',
      manual: false,
      context: { request: { method: typeof method === 'string' ? method : 'GET', path: pathOnly(typeof url === 'string' ? url : '') }, ...extra },
      timestamp: Date.now(),
    });
  } catch (failure) {
    debug('reporting a request error failed', failure);
  }
}
