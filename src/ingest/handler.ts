/**
 * HTTP routing for the ingest: which path and method get which answer, and who may read. Every
 * failure is answered with a status and a JSON body; nothing a client sends can throw out of here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { forbiddenMessage, mayRead, type ReadAccess } from './access.js';
import { send } from './answer.js';
import { isDashboardFile, serveDashboardFile, signIn } from './dashboard-route.js';
import { corsHeaders, ingest, type IngestRouteOptions } from './ingest-route.js';
import type { LiveFeed } from './live.js';
import { getIssue, health, listEvents, listIssues, setIssueStatus } from './read-api.js';
import { receiveSourceMaps, type UploadedMaps } from './uploaded-maps.js';

export type { AcceptedEvent } from './ingest-route.js';

export interface HandlerOptions extends IngestRouteOptions {
  access: ReadAccess;
  /** The dashboard's stream of changes. */
  live: LiveFeed;
  /** `serve`: where uploaded source maps go (POST /api/sourcemaps); `listen` has none. */
  uploadedMaps?: UploadedMaps;
  maxUploadBytes: number;
}

type Handler = (request: IncomingMessage, response: ServerResponse, query: URLSearchParams, id: number) => Promise<void> | void;
interface Route {
  methods: Record<string, Handler>;
  /** Routes that show stored data need read access. */
  guarded: boolean;
}

export function createRequestHandler(options: HandlerOptions): (request: IncomingMessage, response: ServerResponse) => void {
  const { store, live } = options;
  const dashboardFile: Route = { guarded: false, methods: { GET: (request, response) => serveDashboardFile(response, request.url!.split('?')[0]!) } };
  const routes: Record<string, Route> = {
    '/api/session': { guarded: false, methods: { POST: (request, response) => signIn(request, response, options.access) } },
    '/api/stream': { guarded: true, methods: { GET: (request, response) => live.open(request, response) } },
    '/ingest': {
      guarded: false,
      methods: {
        POST: (request, response) => ingest(request, response, options),
        OPTIONS: (_request, response) => send(response, 204, undefined, corsHeaders),
      },
    },
    // It checks the admin token itself, after reading the body, so a refused uploader gets the answer.
    '/api/sourcemaps': {
      guarded: false,
      methods: {
        POST: (request, response) =>
          receiveSourceMaps(request, response, { store, access: options.access, maps: options.uploadedMaps, maxBytes: options.maxUploadBytes }),
      },
    },
    '/health': { guarded: false, methods: { GET: (_request, response) => health(response, store) } },
    '/events': { guarded: true, methods: { GET: (_request, response, query) => listEvents(response, query, store) } },
    '/api/issues': { guarded: true, methods: { GET: (_request, response, query) => listIssues(response, query, store) } },
    '/api/issues/:id': { guarded: true, methods: { GET: (_request, response, _query, id) => getIssue(response, id, store) } },
    '/api/issues/:id/status': {
      guarded: true,
      methods: {
        POST: (request, response, _query, id) =>
          setIssueStatus(request, response, id, store, (issueId) => live.publish({ issueId, kind: 'status' })),
      },
    },
  };

  /** Picks the answer; own-property lookups so a path or method can never reach Object.prototype. */
  const answerFor = (request: IncomingMessage, response: ServerResponse): (() => Promise<void> | void) => {
    if ((request.headersDistinct.host?.length ?? 0) > 1) {
      return () => send(response, 400, { error: 'bad_request', message: 'a request has one Host header' }, { connection: 'close' });
    }
    const [pathname = '', search = ''] = (request.url ?? '').split('?', 2);
    const { pattern, id } = routePattern(pathname);
    const route = isDashboardFile(pattern) ? dashboardFile : Object.hasOwn(routes, pattern) ? routes[pattern]! : undefined;
    if (!route) return () => send(response, 404, { error: 'not_found', message: `no such endpoint: ${pathname}` });
    const method = request.method ?? '';
    if (!Object.hasOwn(route.methods, method)) {
      const allow = Object.keys(route.methods).join(', ');
      return () => send(response, 405, { error: 'method_not_allowed', message: `${pathname} accepts ${allow}` }, { allow });
    }
    if (route.guarded && !mayRead(request, options.access)) {
      const status = options.access.kind === 'loopback' ? 403 : 401;
      return () => send(response, status, { error: status === 403 ? 'forbidden' : 'unauthorized', message: forbiddenMessage(options.access) });
    }
    return () => route.methods[method]!(request, response, new URLSearchParams(search), id);
  };

  return (request, response) => {
    const answer = answerFor(request, response);
    Promise.resolve()
      .then(answer)
      .catch((error: unknown) => {
        options.onError?.(error);
        if (!response.headersSent) send(response, 500, { error: 'internal', message: 'the ingest failed; see its stderr' });
        else response.destroy();
      });
  };
}

/** `/api/issues/12/status` → the pattern `/api/issues/:id/status` and id 12. */
function routePattern(pathname: string): { pattern: string; id: number } {
  const match = /^\/api\/issues\/([1-9]\d{0,14})(\/status)?$/.exec(pathname);
  if (!match) return { pattern: pathname, id: 0 };
  return { pattern: `/api/issues/:id${match[2] ?? ''}`, id: Number(match[1]) };
}
