/**
 * POST /ingest: body checks, validation, the key and rate checks, then the store. Every answer is
 * one the SDKs act on (spec/README.md, "Transport"); a 2xx is sent only after the commit.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { send, type Headers } from './answer.js';
import { isIngestContentType, maxBodyBytes, readBody } from './body.js';
import type { IngestEvent } from './event.js';
import type { RateLimiter } from './rate-limit.js';
import { withProvisionalFingerprint } from './source-maps.js';
import type { AppendResult, Store } from './store.js';
import type { EventValidator } from './validate.js';

export interface AcceptedEvent {
  event: IngestEvent;
  result: AppendResult;
}

export interface IngestRouteOptions {
  store: Store;
  validate: EventValidator;
  /** Whether a project key may send; default: any key the schema accepts. */
  isKeyAllowed?: (key: string) => Promise<boolean> | boolean;
  rateLimiter?: RateLimiter;
  /**
   * Makes an accepted event final before it is grouped and stored (source maps for browser
   * events). It must not fail the ingestion: when it throws, the event is stored as sent.
   */
  finalize?: (event: IngestEvent) => Promise<IngestEvent>;
  /** Called once per newly stored event, after its commit. */
  onEvent?: (accepted: AcceptedEvent) => void;
  onError?: (error: unknown) => void;
}

/**
 * Browsers may POST events from any page; no other endpoint gets CORS headers, on purpose. A page
 * can read a 429's Retry-After only when it is exposed (it is not a CORS-safelisted header).
 */
export const corsHeaders: Headers = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'retry-after',
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers': 'content-type, x-pixel-key',
  'access-control-max-age': '600',
};

const reportedFailures = new WeakSet<Error>();

export async function ingest(request: IncomingMessage, response: ServerResponse, options: IngestRouteOptions): Promise<void> {
  // Only a page's request carries an Origin: an SDK on a server is spared the headers (they cost a
  // tenth of the answer's bytes).
  const cors = request.headers.origin === undefined ? undefined : corsHeaders;
  const refuse = (status: number, body: object, headers: Headers = {}) => send(response, status, body, cors ? { ...cors, ...headers } : headers);

  if (!isIngestContentType(request.headers['content-type'])) {
    // Nobody will read the body: close the connection instead of draining it.
    response.setHeader('connection', 'close');
    return refuse(415, {
      error: 'unsupported_media_type',
      message: 'send the event as content-type: application/json (or text/plain, as navigator.sendBeacon does)',
    });
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
  // The schema lets only browser events leave the fingerprint out.
  const event = withProvisionalFingerprint(validation.event);

  // Proxies may repeat a header; repeats of the same key are the same key.
  const headerKeys = request.headersDistinct['x-pixel-key'] ?? [];
  if (headerKeys.some((key) => key !== event.project_key)) {
    return refuse(401, { error: 'key_mismatch', message: 'the x-pixel-key header and the project_key differ' });
  }
  if (options.isKeyAllowed && !(await options.isKeyAllowed(event.project_key))) {
    return refuse(401, { error: 'unknown_key', message: 'this ingest does not accept that project key' });
  }
  const waitSeconds = options.rateLimiter?.take(event.project_key);
  if (waitSeconds !== undefined && waitSeconds > 0) {
    return refuse(429, { error: 'rate_limited', message: `too many events for this key; retry in ${waitSeconds} s` }, {
      'retry-after': String(waitSeconds),
    });
  }

  const final = options.finalize ? await options.finalize(event).catch(() => event) : event;
  let result: AppendResult;
  try {
    // The text as received is stored when it is this event, unchanged: encoding it again costs as
    // much as parsing it.
    result = await options.store.append(final, undefined, final === validation.event ? parsed.text : undefined);
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
      options.onEvent?.({ event: final, result });
    } catch (error) {
      options.onError?.(error);
    }
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function parseJson(bytes: Buffer): { ok: true; value: unknown; text: string } | { ok: false; message: string } {
  try {
    const text = utf8.decode(bytes);
    return { ok: true, value: JSON.parse(text) as unknown, text };
  } catch (error) {
    return { ok: false, message: `the body is not UTF-8 JSON: ${(error as Error).message}` };
  }
}
