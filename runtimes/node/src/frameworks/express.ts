// Express error middleware: reports errors that become 5xx responses, then passes the error on
// with next(err) so the application's own handlers (or Express's default) still respond.
// Only the method and path are sent: query strings and headers often carry secrets.
import { activeClient } from '../active-client.js';
import { debug } from '../diagnostics.js';

interface RequestLike {
  method?: string;
  originalUrl?: string;
  url?: string;
}

interface ResponseLike {
  statusCode?: number;
}

type Next = (error?: unknown) => void;

/** `app.use(expressErrorHandler())` after your routes. Four parameters: Express needs them to see an error handler. */
export function expressErrorHandler(): (error: unknown, req: RequestLike, res: ResponseLike, next: Next) => void {
  return function ezPixelErrorHandler(error, req, _res, next) {
    try {
      if (statusFor(error) >= 500) {
        activeClient()?.capture({
          kind: 'error',
          value: error,
          message: '',
          level: 'error',
          manual: false,
          context: { request: { method: req.method ?? 'GET', path: pathOnly(req.originalUrl ?? req.url ?? '') } },
          timestamp: Date.now(),
        });
      }
    } catch (failure) {
      debug('expressErrorHandler failed', failure);
    }
    next(error);
  };
}

/** The status Express's final handler would send: err.status or err.statusCode if 4xx/5xx, else 500. */
function statusFor(error: unknown): number {
  if (typeof error === 'object' && error !== null) {
    const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
    const given = typeof status === 'number' ? status : typeof statusCode === 'number' ? statusCode : undefined;
    if (given !== undefined && given >= 400 && given < 600) return given;
  }
  return 500;
}

function pathOnly(url: string): string {
  const query = url.search(/[?#]/);
  return query >= 0 ? url.slice(0, query) : url;
}
