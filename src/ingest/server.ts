/**
 * The programmatic ingest: opens the store and serves HTTP. `ez-pixel listen`
 * and `ez-pixel serve` are two modes of it, and end-to-end suites start a real ingest with it:
 *
 *   const ingest = await startIngestServer({ port: 0, database: join(tmp, 'events.db') });
 *   // … point an SDK at ingest.url …
 *   await ingest.close();
 *
 * listen: any well-formed key (or --keys), reads only from this machine, no rate limit.
 * serve:  keys from the database, a per-key rate limit, reads only with the admin token, and
 *         browser events mapped with the source maps uploaded for their release.
 */
import { createServer, type Server } from 'node:http';
import { isIP } from 'node:net';
import type { ReadAccess } from './access.js';
import { createRequestHandler, type AcceptedEvent } from './handler.js';
import { importJsonlOnce } from './jsonl-import.js';
import { LiveFeed } from './live.js';
import { RateLimiter, type RateLimit } from './rate-limit.js';
import { applySourceMaps, type MapSource } from './source-maps.js';
import { openStore, type RetentionPolicy, type Store } from './store.js';
import { defaultMaxUploadBytes, UploadedMaps } from './uploaded-maps.js';
import { validateEvent } from './validate.js';

export type { AcceptedEvent } from './handler.js';
export type { AppendResult, Store } from './store.js';
export type { IngestEvent } from './event.js';

export interface IngestServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** A SQLite file (created with its directory when missing) or a postgres:// URL. */
  database: string;
  /** Defaults to listen. */
  mode?: 'listen' | 'serve';
  /** listen: accept only these project keys (default: any key the schema accepts). */
  keys?: readonly string[];
  /** serve: the token the read API and the dashboard require. */
  adminToken?: string;
  /** serve: the per-key limit. */
  rateLimit?: RateLimit;
  retention?: RetentionPolicy;
  /**
   * listen: where browser events' source maps come from (spec/fingerprint.md "Browser events");
   * default: none. serve always uses the maps uploaded to its database.
   */
  sourceMaps?: MapSource;
  /** serve: the largest source-map upload accepted (default 64 MiB). */
  maxUploadBytes?: number;
  /** The old JSONL store to import once, if it exists. */
  importJsonl?: string;
  /** Called once per newly stored event, after its commit. */
  onEvent?: (accepted: AcceptedEvent) => void;
  /** Server-side failures (a failed commit); default: written to stderr. */
  onError?: (error: unknown) => void;
}

export interface IngestServer {
  /** The ingest URL, e.g. http://127.0.0.1:41234/ingest. */
  url: string;
  /** The base URL, e.g. http://127.0.0.1:41234 (for /events, /health and the dashboard). */
  origin: string;
  port: number;
  host: string;
  store: Store;
  /** What start-up did that a person should know (the JSONL import) and what it skipped. */
  notices: string[];
  /** Stops accepting connections, lets in-flight requests finish (briefly), then closes the store. */
  close(): Promise<void>;
}

/** How long close() lets in-flight requests finish before cutting their connections. */
const closeGraceMs = 2000;
const pruneEveryMs = 60 * 60_000;

export async function startIngestServer(options: IngestServerOptions): Promise<IngestServer> {
  const host = options.host ?? '127.0.0.1';
  const mode = options.mode ?? 'listen';
  if (mode === 'serve' && !options.adminToken) throw new Error('serve needs an admin token');
  const store = await openStore(options.database, { retention: options.retention });
  const notices: string[] = [];
  let server: Server;
  let live: LiveFeed;
  try {
    if (options.importJsonl) notices.push(...(await importOldStore(options.importJsonl, store)));
    if (options.retention?.retainDays !== undefined) {
      const removed = await store.pruneOld();
      if (removed > 0) notices.push(`removed ${removed} events older than ${options.retention.retainDays} days`);
    }
    const staticKeys = options.keys ? new Set(options.keys) : undefined;
    const access: ReadAccess = mode === 'serve' ? { kind: 'admin-token', token: options.adminToken! } : { kind: 'loopback' };
    live = new LiveFeed();
    const feed = live;
    const uploadedMaps = mode === 'serve' ? new UploadedMaps(store) : undefined;
    const sourceMaps = uploadedMaps?.find ?? options.sourceMaps;
    server = createServer(
      createRequestHandler({
        store,
        validate: validateEvent,
        access,
        isKeyAllowed: mode === 'serve' ? (key) => store.isKeyActive(key) : staticKeys && ((key) => staticKeys.has(key)),
        rateLimiter: mode === 'serve' && options.rateLimit ? new RateLimiter(options.rateLimit) : undefined,
        live,
        uploadedMaps,
        maxUploadBytes: options.maxUploadBytes ?? defaultMaxUploadBytes,
        finalize: sourceMaps && ((event) => applySourceMaps(event, sourceMaps)),
        onEvent: (accepted) => {
          feed.publish({ issueId: accepted.result.issueId, kind: 'event' });
          options.onEvent?.(accepted);
        },
        onError: options.onError ?? ((error) => process.stderr.write(`ez-pixel ${mode}: ${String(error)}\n`)),
      }),
    );
    // A client that half-closes after its request (FIN after the body) still gets its answer,
    // which waits for the commit's sync: without this Node ends the socket at the FIN. (Node's
    // own property since 0.x, just not in its documentation.)
    (server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
    // A client that stalls mid-request must not hold a connection for the default five minutes.
    server.requestTimeout = 15_000;
    server.headersTimeout = 10_000;
    await listen(server, options.port ?? 0, host);
  } catch (error) {
    await store.close();
    throw error;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  const origin = `http://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
  const pruning =
    options.retention?.retainDays === undefined
      ? undefined
      : setInterval(() => store.pruneOld().catch(options.onError ?? (() => {})), pruneEveryMs).unref();

  let closing: Promise<void> | undefined;
  return {
    url: `${origin}/ingest`,
    origin,
    port,
    host,
    store,
    notices,
    close: () => {
      clearInterval(pruning);
      live.close();
      return (closing ??= closeServer(server, store));
    },
  };
}

async function importOldStore(path: string, store: Store): Promise<string[]> {
  const outcome = await importJsonlOnce(path, store, validateEvent);
  if (!outcome) return [];
  return [
    `imported ${outcome.imported} events from the old store ${path} into ${store.location} (once; the old file is left as it was and can be deleted)`,
    ...outcome.skipped,
  ];
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

async function closeServer(server: Server, store: Store): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const grace = setTimeout(() => server.closeAllConnections(), closeGraceMs);
  await closed;
  clearTimeout(grace);
  await store.close();
}
