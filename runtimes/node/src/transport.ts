// One POST of one event, and what the answer means (spec/README.md "Transport"). Errors are
// values here: the delivery queue decides what to do with each outcome.
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

// fetch's global dispatcher keeps connections alive between requests.
export async function postEvent(url: string, projectKey: string, body: string, timeoutMs = REQUEST_TIMEOUT_MS): Promise<Outcome> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-pixel-key': projectKey, 'user-agent': USER_AGENT },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return { kind: 'retry', status: null, reason: networkReason(error) };
  }
  const { status } = response;
  const text = await response.text().catch(() => '');
  if (status >= 200 && status < 300) return { kind: 'delivered', status };
  if (status === 429) return { kind: 'throttled', status, pauseMs: retryAfterMs(response.headers.get('retry-after'), Date.now()) };
  if (status === 408 || status >= 500) return { kind: 'retry', status, reason: `HTTP ${status}` };
  if (status >= 400) return { kind: 'rejected', status, reason: `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}` };
  return { kind: 'retry', status, reason: `unexpected HTTP ${status}` };
}

/** Retry-After in seconds or as an HTTP date; 60 s when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number {
  if (header === null || header.trim() === '') return DEFAULT_RETRY_AFTER_MS;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? DEFAULT_RETRY_AFTER_MS : Math.max(0, date - now);
}

function networkReason(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return 'timed out';
    const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
    if (cause && typeof cause.code === 'string') return cause.code;
    if (cause && typeof cause.message === 'string') return cause.message;
    return error.message;
  }
  return String(error);
}
