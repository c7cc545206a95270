// One POST of one event, and what the answer means (spec/README.md "Transport"). Errors are
// values here: the delivery queue decides what to do with each outcome.
//
// Why node:http rather than fetch: a request in flight must not keep the process alive (an
// ingest that accepts and never answers would otherwise hold every exiting process for the
// whole 5 s request timeout, and beforeExit would not even fire). fetch's sockets cannot be
// unref'd; these can. The exit paths (beforeExit flush, crash worker, exit spool) bound the
// time instead, by shutdownTimeoutMs. Connections are kept alive, at most 4 per ingest.
import type { Agent, ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import { USER_AGENT } from './version.js';

export type Outcome =
  | { kind: 'delivered'; status: number }
  /** 408, 5xx or a network error: worth another try. */
  | { kind: 'retry'; status: number | null; reason: string }
  /** 429: pause all sending for `pauseMs`. */
  | { kind: 'throttled'; status: 429; pauseMs: number }
  /** Any other 4xx: the ingest will never take this event. */
  | { kind: 'rejected'; status: number; reason: string };

export const REQUEST_TIMEOUT_MS = 5000;
const DEFAULT_RETRY_AFTER_MS = 60_000;
export const MAX_RETRY_AFTER_MS = 24 * 3600 * 1000;
const MAX_SOCKETS = 4;

interface Client {
  agent: Agent;
  request(url: URL, options: RequestOptions, callback: (response: IncomingMessage) => void): ClientRequest;
}
const clients = new Map<string, Client>();

/** node:http and node:https load on the first send: together they would double the SDK's import time. */
async function clientFor(protocol: string): Promise<Client> {
  let client = clients.get(protocol);
  if (!client) {
    const module = protocol === 'https:' ? await import('node:https') : await import('node:http');
    client = { agent: new module.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS }), request: module.request };
    clients.set(protocol, client);
  }
  return client;
}

/** `cancel` aborts the request early: the process is ending and the event goes to the spool. */
export async function postEvent(url: string, projectKey: string, body: string, cancel?: AbortSignal, timeoutMs = REQUEST_TIMEOUT_MS): Promise<Outcome> {
  let target: URL;
  let client: Client;
  try {
    target = new URL(url);
    client = await clientFor(target.protocol);
  } catch (error) {
    return { kind: 'retry', status: null, reason: networkReason(error) };
  }
  return new Promise((resolve) => {
    try {
      const signal = cancel ? AbortSignal.any([cancel, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
      const request = client.request(
        target,
        {
          method: 'POST',
          agent: client.agent,
          signal,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-pixel-key': projectKey, 'user-agent': USER_AGENT },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            if (text.length < 1024) text += chunk;
          });
          response.on('end', () => resolve(outcomeOf(response.statusCode ?? 0, response.headers['retry-after'] ?? null, text)));
          response.on('error', (error) => resolve({ kind: 'retry', status: null, reason: networkReason(error) }));
        },
      );
      request.on('socket', (socket) => socket.unref());
      request.on('error', (error) => resolve({ kind: 'retry', status: null, reason: signal.aborted ? abortReason(signal) : networkReason(error) }));
      request.end(body);
    } catch (error) {
      resolve({ kind: 'retry', status: null, reason: networkReason(error) });
    }
  });
}

function outcomeOf(status: number, retryAfter: string | null, text: string): Outcome {
  if (status >= 200 && status < 300) return { kind: 'delivered', status };
  if (status === 429) return { kind: 'throttled', status, pauseMs: retryAfterMs(retryAfter, Date.now()) };
  if (status === 408 || status >= 500) return { kind: 'retry', status, reason: `HTTP ${status}` };
  if (status >= 400) return { kind: 'rejected', status, reason: `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}` };
  return { kind: 'retry', status, reason: `unexpected HTTP ${status}` };
}

/**
 * Retry-After in seconds or as an HTTP date; 60 s when absent or unreadable; at most 24 h
 * (spec/hooks.md): beyond 2^31 - 1 ms setTimeout would fire at once and retry in a loop.
 */
export function retryAfterMs(header: string | null, now: number): number {
  if (header === null || header.trim() === '') return DEFAULT_RETRY_AFTER_MS;
  const value = header.trim();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(value)) ms = Math.round(Number(value) * 1000);
  else {
    const date = Date.parse(value);
    if (Number.isNaN(date)) return DEFAULT_RETRY_AFTER_MS;
    ms = date - now;
  }
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}

function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error && reason.name === 'TimeoutError' ? 'timed out' : 'cancelled';
}

function networkReason(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? code : error.message;
  }
  return String(error);
}
