/**
 * HTTP request handling for the ingest: routing, CORS, body checks, validation, key checks and the
 * answers the SDKs act on (spec/README.md, "Transport"). Every failure is answered with a status and
 * a JSON body; nothing a client sends can throw out of here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isLoopbackAddress, isLoopbackHost } from '../loopback.js';
import { isJsonContentType, maxBodyBytes, readBody } from './body.js';
import type { IngestEvent } from './event.js';
import type { AppendResult, EventStore } from './store.js';
import type { EventValidator } from './validate.js';

export interface AcceptedEvent {
  event: IngestEvent;
  result: AppendResult;
}

export interface HandlerOptions {
  store: EventStore;
  validate: EventValidator;
  /** When set, only these project keys are accepted. */
  keys?: ReadonlySet<string>;
  /** Called once per newly stored event, after it is durable. */
  onEvent?: (accepted: AcceptedEvent) => void;
  /** Called for server-side failures (a failed fsync, a throwing onEvent). */
  onError?: (error: unknown) => void;
}

type Handler = (request: IncomingMessage, response: ServerResponse, query: URLSearchParams) => Promise<void> | void;

const reportedFailures = new WeakSet<Error>();
const defaultLimit = 100;
const maxLimit = 1000;

/** Browsers may POST events from any page; the read endpoints get no CORS headers on purpose. */
const corsHeaders = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers': 'content-type, x-pixel-key',
  'access-control-max-age': '600',
};

export function createRequestHandler(options: HandlerOptions): (request: IncomingMessage, response: ServerResponse) => void {
  const routes: Record<string, Record<string, Handler>> = {
    '/ingest': {
      POST: (request, response) => ingest(request, response, options),
      OPTIONS: (_request, response) => send(response, 204, undefined, corsHeaders),
    },
    '/events': { GET: (request, response, query) => listEvents(request, response, query, options) },
    '/health': {
      GET: (_request, response) => {
        const { failed, eventCount: events, groupTotal: groups } = options.store;
        if (failed) send(response, 503, { status: 'store_failed', message: failed.message, events, groups });
        else send(response, 200, { status: 'ok', events, groups });
      },
    },
  };

  /** Picks the answer; own-property lookups so a path or method can never reach Object.prototype. */
  const answerFor = (request: IncomingMessage, response: ServerResponse): (() => Promise<void> | void) => {
    const [pathname = '', search = ''] = (request.url ?? '').split('?', 2);
    const route = Object.hasOwn(routes, pathname) ? routes[pathname]! : undefined;
    if (!route) return () => send(response, 404, { error: 'not_found', message: `no such endpoint: ${pathname}` });
    const method = request.method ?? '';
    if (!Object.hasOwn(route, method)) {
      const allow = Object.keys(route).join(', ');
      return () => send(response, 405, { error: 'method_not_allowed', message: `${pathname} accepts ${allow}` }, { allow });
    }
    return () => route[method]!(request, response, new URLSearchParams(search));
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

async function ingest(request: IncomingMessage, response: ServerResponse, options: HandlerOptions): Promise<void> {
  const refuse = (status: number, body: object) => send(response, status, body, corsHeaders);

  if (!isJsonContentType(request.headers['content-type'])) {
    // Nobody will read the body: close the connection instead of draining it.
    response.setHeader('connection', 'close');
    return refuse(415, { error: 'unsupported_media_type', message: 'send the event as content-type: application/json' });
  }
  const body = await readBody(request);
  if (body.kind === 'aborted') return void request.socket.destroy();
  if (body.kind === 'too-large') {
    response.setHeader('connection', 'close');
    return refuse(413, { error: 'too_large', message: `the body is above ${maxBodyBytes} bytes` });
  }

  const parsed = parseJson(body.bytes);
  if (!parsed.ok) return refuse(400, { error: 'invalid_json', message: parsed.message });
  const validation = options.validate(parsed.value);
  if (!validation.ok) {
    const where = validation.field === '' ? 'the event' : validation.field;
    return refuse(400, { error: 'invalid_event', field: validation.field, message: `${where} ${validation.message}` });
  }
  const event = validation.event;

  const headerKey = request.headers['x-pixel-key'];
  if (headerKey !== undefined && headerKey !== event.project_key) {
    return refuse(401, { error: 'key_mismatch', message: 'the x-pixel-key header and the project_key differ' });
  }
  if (options.keys && !options.keys.has(event.project_key)) {
    return refuse(401, { error: 'unknown_key', message: 'this ingest does not accept that project key' });
  }

  let result: AppendResult;
  try {
    result = await options.store.append(event);
  } catch (error) {
    // A failed store refuses every later append with the same error: report it once.
    const known = error instanceof Error && reportedFailures.has(error);
    if (!known) options.onError?.(error);
    if (error instanceof Error) reportedFailures.add(error);
    return refuse(503, { error: 'store_failed', message: 'the event could not be stored; see the ingest stderr' });
  }
  // 201 for a new event, 200 for a retry of a stored one: both are "delivered" to an SDK.
  refuse(result.duplicate ? 200 : 201, { id: result.id, fingerprint: result.fingerprint, new_group: result.newGroup });
  if (!result.duplicate) {
    try {
      options.onEvent?.({ event, result });
    } catch (error) {
      options.onError?.(error);
    }
  }
}

function listEvents(
  request: IncomingMessage,
  response: ServerResponse,
  query: URLSearchParams,
  options: HandlerOptions,
): void {
  // Events carry stack traces and messages: they are only for this machine, whatever the bind
  // address. A loopback Host stops a DNS-rebinding page; a loopback peer stops other machines
  // (which could send any Host) when the ingest listens on a public address.
  if (!isLoopbackHost(hostnameOf(request.headers.host)) || !isLoopbackAddress(request.socket.remoteAddress ?? '')) {
    return send(response, 403, { error: 'forbidden', message: 'events are only served to 127.0.0.1 and localhost' });
  }
  const fingerprint = query.get('fingerprint') || undefined;
  if (fingerprint !== undefined && !/^[0-9a-f]{16}$/.test(fingerprint)) {
    return send(response, 400, { error: 'invalid_query', field: 'fingerprint', message: 'fingerprint must be 16 lowercase hex digits' });
  }
  const limitText = query.get('limit') || String(defaultLimit);
  const limit = /^\d{1,6}$/.test(limitText) ? Number(limitText) : NaN;
  if (!(limit >= 1 && limit <= maxLimit)) {
    return send(response, 400, { error: 'invalid_query', field: 'limit', message: `limit must be an integer from 1 to ${maxLimit}` });
  }
  send(response, 200, { events: options.store.list({ fingerprint, limit }) });
}

function parseJson(bytes: Buffer): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: `the body is not UTF-8 JSON: ${(error as Error).message}` };
  }
}

/** The name in a Host header, without its port: `[::1]:8765` gives `[::1]`. */
function hostnameOf(header: string | undefined): string {
  return (header ?? '').replace(/:\d*$/, '');
}

function send(response: ServerResponse, status: number, body?: object, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    ...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
    'content-length': String(Buffer.byteLength(text)),
  });
  response.end(text);
}
