// Fastify: an onError hook, `app.addHook('onError', fastifyErrorHook())` on the instance the app
// creates. Fastify runs it after its error handler chose the status, for every route of that
// instance and its plugins; the hook only observes, the error handler still replies.
import { reportRequestError, statusOf } from './request-error.js';

interface FastifyRequestLike {
  method?: string;
  url?: string;
}

interface FastifyReplyLike {
  statusCode?: number;
}

export function fastifyErrorHook(): (request: FastifyRequestLike, reply: FastifyReplyLike, error: unknown, done: () => void) => void {
  return function ezPixelOnError(request, reply, error, done) {
    const replied = reply?.statusCode;
    const status = typeof replied === 'number' && replied >= 400 ? replied : statusOf(error);
    if (status >= 500) reportRequestError(error, request?.method, request?.url);
    done();
  };
}
