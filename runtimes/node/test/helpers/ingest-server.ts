// A real HTTP ingest on 127.0.0.1 for the tests: records every request, validates every body
// against spec/event.schema.json, and answers from a script (status codes, Retry-After,
// stalling) before falling back to 200.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import { afterAll, beforeAll, expect } from 'vitest';
import { ensureBuilt } from './build.js';

const schemaPath = fileURLToPath(new URL('../../../../spec/event.schema.json', import.meta.url));
const ajv = new Ajv2020({ allErrors: true, strict: false });
export const validateEvent = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));

export type Reply = { status: number; headers?: Record<string, string>; body?: string; delayMs?: number } | 'stall';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  event: Record<string, any>;
  at: number;
}

export class IngestServer {
  readonly received: Received[] = [];
  /** Schema errors, one entry per invalid body. */
  readonly invalid: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private readonly script: Reply[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly stalled = new Set<ServerResponse>();
  private waiters: (() => void)[] = [];
  private constructor(private readonly server: Server) {}

  /** On 127.0.0.1, or on `host` (a loopback address: '::1'). */
  static async start(host = '127.0.0.1'): Promise<IngestServer> {
    let self: IngestServer;
    const server = createServer((req, res) => self.handle(req, res));
    self = new IngestServer(server);
    server.on('connection', (socket) => {
      self.sockets.add(socket);
      socket.on('close', () => self.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, resolve);
    });
    return self;
  }

  get url(): string {
    const { address, family, port } = this.server.address() as AddressInfo;
    return `http://${family === 'IPv6' ? `[${address}]` : address}:${port}/ingest`;
  }

  /** Replies used in order for the next requests; afterwards every request gets 200. */
  /** Every later request, once the script is used up. */
  fallback: Reply = { status: 200 };

  reply(...replies: Reply[]): this {
    this.script.push(...replies);
    return this;
  }

  get events(): Record<string, any>[] {
    return this.received.map((r) => r.event);
  }

  async waitFor(count: number, timeoutMs = 10_000): Promise<Received[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} requests, got ${this.received.length}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.received;
  }

  async close(): Promise<void> {
    for (const res of this.stalled) res.destroy();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: import('node:http').IncomingMessage, res: ServerResponse): void {
    let body = '';
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      let event: Record<string, any> = {};
      try {
        event = JSON.parse(body);
        if (!validateEvent(event)) this.invalid.push(`${event.type}: ${ajv.errorsText(validateEvent.errors)}`);
      } catch {
        this.invalid.push(`not JSON: ${body.slice(0, 100)}`);
      }
      this.received.push({ headers: req.headers, body, event, at: Date.now() });
      for (const wake of this.waiters.splice(0)) wake();
      const reply = this.script.shift() ?? this.fallback;
      if (reply === 'stall') {
        this.stalled.add(res);
        res.on('close', () => this.inFlight--);
        return;
      }
      setTimeout(() => {
        this.inFlight--;
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        res.end(reply.body ?? JSON.stringify({ id: event.event_id, fingerprint: event.fingerprint, new_group: true }));
      }, reply.delayMs ?? 5);
    });
  }
}

/** A URL on which nothing listens: connections are refused. */
export async function refusingUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/ingest`;
}

/**
 * One scripted ingest shared by a test file's tests (after the SDK is built); at the end it checks
 * that every event any of them received matched spec/event.schema.json.
 */
export function useIngestServer(): () => IngestServer {
  let server: IngestServer | undefined;
  beforeAll(async () => {
    ensureBuilt();
    server = await IngestServer.start();
  });
  afterAll(async () => {
    await server?.close();
    expect(server?.invalid).toEqual([]);
  });
  return () => {
    if (!server) throw new Error('useIngestServer(): the server starts in beforeAll');
    return server;
  };
}
