/**
 * The programmatic ingest: opens the store, compiles the schema and serves HTTP. `ez-pixel listen`
 * is a thin wrapper around it, and end-to-end suites start a real ingest with it:
 *
 *   const ingest = await startIngestServer({ port: 0, storePath: join(tmp, 'events.jsonl') });
 *   // … point an SDK at ingest.url …
 *   await ingest.close();
 */
import { createServer, type Server } from 'node:http';
import { isIP } from 'node:net';
import { createRequestHandler, type AcceptedEvent } from './handler.js';
import { EventStore } from './store.js';
import { loadEventValidator } from './validate.js';

export type { AcceptedEvent } from './handler.js';
export type { AppendResult } from './store.js';
export type { IngestEvent } from './event.js';

export interface IngestServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** The JSONL store; created with its directory when missing. */
  storePath: string;
  /** Accept only these project keys (default: any key the schema accepts). */
  keys?: readonly string[];
  /** Called once per newly stored event, after it is on disk. */
  onEvent?: (accepted: AcceptedEvent) => void;
  /** Server-side failures (a failed write or fsync); default: written to stderr. */
  onError?: (error: unknown) => void;
}

export interface IngestServer {
  /** The ingest URL, e.g. http://127.0.0.1:41234/ingest. */
  url: string;
  /** The base URL, e.g. http://127.0.0.1:41234 (for /events and /health). */
  origin: string;
  port: number;
  host: string;
  store: EventStore;
  /** Lines the store skipped while rebuilding its index (torn or corrupt lines). */
  warnings: string[];
  /** Stops accepting connections, lets in-flight requests finish (briefly), then closes the store. */
  close(): Promise<void>;
}

/** How long close() lets in-flight requests finish before cutting their connections. */
const closeGraceMs = 2000;

export async function startIngestServer(options: IngestServerOptions): Promise<IngestServer> {
  const host = options.host ?? '127.0.0.1';
  const validate = await loadEventValidator();
  const { store, warnings } = await EventStore.open(options.storePath);
  const server = createServer(
    createRequestHandler({
      store,
      validate,
      keys: options.keys ? new Set(options.keys) : undefined,
      onEvent: options.onEvent,
      onError: options.onError ?? ((error) => process.stderr.write(`ez-pixel listen: ${String(error)}\n`)),
    }),
  );
  // A client that stalls mid-request must not hold a connection for the default five minutes.
  server.requestTimeout = 15_000;
  server.headersTimeout = 10_000;

  try {
    await listen(server, options.port ?? 0, host);
  } catch (error) {
    await store.close();
    throw error;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  const origin = `http://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url: `${origin}/ingest`,
    origin,
    port,
    host,
    store,
    warnings,
    close: () => (closing ??= closeServer(server, store)),
  };
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

async function closeServer(server: Server, store: EventStore): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const grace = setTimeout(() => server.closeAllConnections(), closeGraceMs);
  await closed;
  clearTimeout(grace);
  await store.close();
}
