// Express error middleware: reports errors that become 5xx responses, then passes the error on
// with next(err) so the application's own handlers (or Express's default) still respond.
import { reportRequestError, statusOf } from './request-error.js';

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
    if (statusOf(error) >= 500) reportRequestError(error, req?.method, req?.originalUrl ?? req?.url);
    next(error);
  };
}
