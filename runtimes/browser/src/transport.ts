// Delivery (spec/README.md "Transport", spec/hooks.md "Retry-After"). Each body is POSTed as a
// string, so as text/plain with no custom header: a CORS "simple" request, no preflight, which
// the ingest accepts (the project key is in the body). While the page lives: fetch with
// keepalive inside the browser's 64 KiB keepalive budget, retries after 0.2 … 3.2 s, 429 pauses
// everything. When the page is hidden or unloads: whatever has not been sent goes by sendBeacon.
import { byteLength, MAX_BYTES } from './event.js';

export interface Sender {
  send_(body: string): void;
  /** Hands every unsent body to navigator.sendBeacon (the page may never run again). */
  beacon_(): void;
  idle_(): boolean;
  stop_(): void;
}

interface Item {
  body_: string;
  attempt_: number;
}

/** spec/hooks.md: delta-seconds or an HTTP date, 60 s when unreadable, at most 24 h. */
export function retryAfterSeconds(header?: string | null, now = Date.now()): number {
  const value = String(header).trim();
  const seconds = /^\d+(\.\d+)?$/.test(value) ? +value : (Date.parse(value) - now) / 1000;
  return seconds === seconds ? Math.min(Math.max(seconds, 0), 86400) : 60;
}

/** What happened to the bodies sent, counted into the caller's stats. */
export interface Outcomes {
  delivered: number;
  failed: number;
  rejected: number;
}

export function createSender(url: string, stats: Outcomes): Sender {
  /** Every body not yet delivered or given up: waiting for its turn, or in flight. */
  const pending = new Set<Item>();
  let keepaliveBytes = 0;
  let pausedUntil = 0;

  /** Sends one body, unless a beacon took it or the sender stopped (both leave `pending`); a 429 pause holds everything. */
  function post(item: Item): void {
    const wait = pausedUntil - Date.now();
    if (!pending.has(item)) return;
    if (wait > 0) return void setTimeout(post, wait, item);
    // The bytes this request holds of the keepalive budget: 0 when it goes as a plain fetch.
    const size = byteLength(item.body_);
    const held = keepaliveBytes + size <= MAX_BYTES ? size : 0;
    keepaliveBytes += held;
    const settled = ({ status, headers }: { status: number; headers?: Headers }) => {
      keepaliveBytes -= held;
      // Five retries of a 408 or 5xx, after 0.2, 0.4, 0.8, 1.6 and 3.2 s.
      const retry = status === 408 || status >= 500;
      if (status === 429) {
        pausedUntil = Date.now() + retryAfterSeconds(headers!.get('retry-after')) * 1000;
        post(item);
      } else if (retry && item.attempt_ < 5) setTimeout(post, 200 << item.attempt_++, item);
      else {
        pending.delete(item);
        stats[status < 300 ? 'delivered' : retry ? 'failed' : 'rejected']++;
      }
    };
    // A network error is retried as a 5xx is.
    fetch(url, { method: 'POST', body: item.body_, keepalive: held > 0 }).then(settled, () => settled({ status: 500 }));
  }

  return {
    send_(body) {
      const item = { body_: body, attempt_: 0 };
      pending.add(item);
      post(item);
    },
    beacon_() {
      // In flight too: a keepalive request outlives the page, but its retry would not. The ingest
      // stores an event_id once, so a copy that also arrives costs nothing. Those a full beacon
      // queue refuses stay for the page's next life (a back/forward cache).
      for (const item of pending) if (navigator.sendBeacon?.(url, item.body_)) pending.delete(item);
    },
    idle_: () => !pending.size,
    stop_() {
      pending.clear();
    },
  };
}
