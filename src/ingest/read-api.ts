/**
 * The read API (for people, scripts and the dashboard): /events, /health and /api/issues…. Query
 * parameters are checked and refused with 400 naming the parameter.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { send, streamJsonArray } from './answer.js';
import { readBody } from './body.js';
import { readTurn } from './read-turns.js';
import { issueStatuses, type IssueStatus, type Store, type StoredEvent } from './store.js';

const defaultLimit = 100;
const maxLimit = 1000;
/** Rows per read: small enough that a page of 256 KiB events is a short stall. */
const pageRows = 16;
const sparklineHours = 24;

type Query = { ok: true; value: number | undefined } | { ok: false; field: string; message: string };

function integerParameter(query: URLSearchParams, field: string, min: number, max: number): Query {
  const text = query.get(field);
  if (text === null || text === '') return { ok: true, value: undefined };
  const value = /^\d{1,15}$/.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) return { ok: false, field, message: `${field} must be an integer from ${min} to ${max}` };
  return { ok: true, value };
}

function invalid(response: ServerResponse, failed: { field: string; message: string }): void {
  send(response, 400, { error: 'invalid_query', field: failed.field, message: failed.message });
}

/** GET /events?fingerprint=&issue=&limit=&before=: stored events, newest first, streamed, with `next` (the `before` of the next page, or null). */
export async function listEvents(response: ServerResponse, query: URLSearchParams, store: Store): Promise<void> {
  const fingerprint = query.get('fingerprint') || undefined;
  if (fingerprint !== undefined && !/^[0-9a-f]{16}$/.test(fingerprint)) {
    return invalid(response, { field: 'fingerprint', message: 'fingerprint must be 16 lowercase hex digits' });
  }
  const limit = integerParameter(query, 'limit', 1, maxLimit);
  const issue = integerParameter(query, 'issue', 1, Number.MAX_SAFE_INTEGER);
  const before = integerParameter(query, 'before', 1, Number.MAX_SAFE_INTEGER);
  for (const parameter of [limit, issue, before]) if (!parameter.ok) return invalid(response, parameter);
  const total = (limit.ok && limit.value) || defaultLimit;
  const cursor: { next: number | null } = { next: null };
  const filter = { fingerprint, issueId: issue.ok ? issue.value : undefined, before: before.ok ? before.value : undefined };
  await streamJsonArray(response, 'events', pagesOf(store, filter, total, cursor), () => cursor);
}

/** Keyset pages (seq below the last one seen): each read is short, and none holds a transaction open. */
async function* pagesOf(
  store: Store,
  filter: { fingerprint?: string; issueId?: number; before?: number },
  total: number,
  cursor: { next: number | null },
): AsyncIterable<Buffer[]> {
  let before = filter.before;
  for (let remaining = total; remaining > 0; ) {
    // Waiting requests (an SDK's POST) run between pages, whatever the number of reads.
    await readTurn();
    const rows: StoredEvent[] = await store.listEvents({ ...filter, before, limit: Math.min(pageRows, remaining) });
    yield rows.map((row) => row.json);
    if (rows.length < Math.min(pageRows, remaining)) return;
    remaining -= rows.length;
    before = rows[rows.length - 1]!.seq;
    // A full page: there may be more, from here on.
    if (remaining === 0) cursor.next = before;
  }
}

export async function health(response: ServerResponse, store: Store): Promise<void> {
  const { events, groups } = await store.totals();
  if (store.failed) send(response, 503, { status: 'store_failed', message: store.failed.message, events, groups });
  else send(response, 200, { status: 'ok', events, groups });
}

/** GET /api/issues?status=&limit=&offset=: issues by last seen, each with a 24-hour sparkline. */
export async function listIssues(response: ServerResponse, query: URLSearchParams, store: Store): Promise<void> {
  const status = query.get('status') || undefined;
  if (status !== undefined && !isStatus(status)) {
    return invalid(response, { field: 'status', message: `status must be one of ${issueStatuses.join(', ')}` });
  }
  const limit = integerParameter(query, 'limit', 1, maxLimit);
  const offset = integerParameter(query, 'offset', 0, Number.MAX_SAFE_INTEGER);
  for (const parameter of [limit, offset]) if (!parameter.ok) return invalid(response, parameter);
  const issues = await store.listIssues({
    status,
    limit: (limit.ok && limit.value) || defaultLimit,
    offset: (offset.ok && offset.value) || 0,
  });
  const histogram = await store.issueHistogram(issues.map((issue) => issue.id), sparklineHours);
  send(response, 200, { issues: issues.map((issue) => ({ ...issue, hourly: histogram.get(issue.id) ?? [] })) });
}

export async function getIssue(response: ServerResponse, id: number, store: Store): Promise<void> {
  const issue = await store.getIssue(id);
  if (!issue) return send(response, 404, { error: 'not_found', message: `no issue ${id}` });
  const [latest] = await store.listEvents({ issueId: id, limit: 1 });
  const histogram = await store.issueHistogram([id], sparklineHours);
  const text = JSON.stringify({ issue: { ...issue, hourly: histogram.get(id) ?? [] } });
  // The latest event goes in as stored, without decoding and encoding it again.
  const body = Buffer.concat([Buffer.from(`${text.slice(0, -1)},"latest":`), latest ? latest.json : Buffer.from('null'), Buffer.from('}')]);
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(body.length) });
  response.end(body);
}

/** POST /api/issues/:id/status with {"status": "resolved" | "ignored" | "open"}. */
export async function setIssueStatus(
  request: IncomingMessage,
  response: ServerResponse,
  id: number,
  store: Store,
  onChange?: (issueId: number) => void,
): Promise<void> {
  // A JSON type makes a cross-site form or beacon a preflighted request, which gets no CORS answer.
  if (!(request.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
    return send(response, 415, { error: 'unsupported_media_type', message: 'send {"status": …} as application/json' });
  }
  const body = await readBody(request, 4096);
  if (body.kind === 'aborted') return void request.socket.destroy();
  if (body.kind === 'too-large') return send(response, 413, { error: 'too_large', message: 'the body is above 4096 bytes' });
  let status: unknown;
  try {
    status = (JSON.parse(body.bytes.toString('utf8')) as { status?: unknown }).status;
  } catch {
    status = undefined;
  }
  if (typeof status !== 'string' || !isStatus(status)) {
    return send(response, 400, { error: 'invalid_status', field: 'status', message: `status must be one of ${issueStatuses.join(', ')}` });
  }
  const issue = await store.setIssueStatus(id, status);
  if (!issue) return send(response, 404, { error: 'not_found', message: `no issue ${id}` });
  send(response, 200, { issue });
  onChange?.(id);
}

function isStatus(text: string): text is IssueStatus {
  return (issueStatuses as readonly string[]).includes(text);
}
