/**
 * A real ingest for tests: `startTestIngest()` runs startIngestServer on 127.0.0.1 with a SQLite
 * database in a fresh temp dir; `makeEvent()` builds events the schema accepts; `postEvent()` sends one the way the
 * SDKs do. Suites that need an ingest (install, doctor, the SDKs) can use these too.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../../src/ingest/store.js';
import { startIngestServer, type AcceptedEvent, type IngestServer, type IngestServerOptions } from '../../src/ingest/server.js';

export interface TestIngest extends IngestServer {
  dir: string;
  database: string;
  /** Every event the server reported through onEvent, in order. */
  accepted: AcceptedEvent[];
  /** Closes the server and removes the temp dir. */
  dispose(): Promise<void>;
}

export async function startTestIngest(options: Partial<IngestServerOptions> = {}): Promise<TestIngest> {
  const dir = mkdtempSync(join(tmpdir(), 'ez-pixel-ingest-'));
  const database = options.database ?? join(dir, 'events.db');
  const accepted: AcceptedEvent[] = [];
  const server = await startIngestServer({ port: 0, ...options, database, onEvent: (a) => accepted.push(a) });
  return Object.assign(server, {
    dir,
    database,
    accepted,
    dispose: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

/** The event_ids in the store, oldest first. */
export async function storedIds(store: Store): Promise<string[]> {
  const rows = await store.listEvents({ limit: 100_000 });
  return rows.map((row) => (JSON.parse(row.json.toString()) as { event_id: string }).event_id).reverse();
}

export const testKey = 'pk_test_listen0123456789abcdef';

/** A valid event (it passes spec/event.schema.json) with a fresh event_id. */
export function makeEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_id: randomUUID(),
    project_key: testKey,
    fingerprint: '41a4d6ea2a3e52f2',
    type: 'ValueError',
    message: 'bad input',
    stack: [
      { file: 'site-packages/lib/core.py', line: 7, col: 0, fn: 'check', in_app: false },
      { file: 'app/main.py', line: 42, col: 8, fn: 'run', in_app: true },
    ],
    code_context: null,
    runtime: 'python-3.12.3',
    manual_report: false,
    level: 'error',
    occurred_at: '2026-04-29T14:22:01Z',
    ...overrides,
  };
}

export interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** POSTs `body` (an object is sent as JSON) with the SDKs' headers; `headers` add to or replace them. */
export async function postEvent(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const key = typeof body === 'object' && body !== null ? (body as { project_key?: unknown }).project_key : undefined;
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'ez-pixel-test/0',
      ...(typeof key === 'string' ? { 'x-pixel-key': key } : {}),
      ...headers,
    },
    body: typeof body === 'string' ? body : body instanceof Uint8Array ? new Uint8Array(body) : JSON.stringify(body),
  });
  return { status: response.status, body: await readJson(response), headers: response.headers };
}

export async function getJson(url: string): Promise<Answer> {
  const response = await fetch(url);
  return { status: response.status, body: await readJson(response), headers: response.headers };
}

async function readJson(response: Response): Promise<Record<string, unknown>> {
  const text = await response.text();
  return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
}
