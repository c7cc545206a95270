// Delivery (spec/README.md "Transport", spec/hooks.md "Retry-After"). Each body is POSTed as a
// string, so as text/plain with no custom header: a CORS "simple" request, no preflight, which
// the ingest accepts (the project key is in the body). While the page lives: fetch with
// keepalive inside the browser's 64 KiB keepalive budget, retries after 0.2 … 3.2 s, 429 pauses
// everything. When the page is hidden or unloads: whatever has not been sent goes by sendBeacon.
import { byteLength, MAX_BYTES } from './event.js';

export interface Sender {
  send(body: string): void;
  /** Hands every unsent body to navigator.sendBeacon (the page may never run again). */
  beacon(): void;
  idle(): boolean;
  stop(): void;
  stats: { delivered: number; failed: number; rejected: number };
}

interface Item {
  body: string;
  attempt: number;
  /** When it may be sent (Date.now() time). */
  due: number;
}

const BACKOFF_MS = [200, 400, 800, 1600, 3200];
const DAY_S = 86400;

/** spec/hooks.md: delta-seconds or an HTTP date, 60 s when unreadable, at most 24 h. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number {
  const value = header?.trim() ?? '';
  let seconds = /^\d+(\.\d+)?$/.test(value) ? +value : (Date.parse(value) - now) / 1000;
  if (Number.isNaN(seconds)) seconds = 60;
  return Math.min(Math.max(seconds, 0), DAY_S);
}

export function createSender(url: string): Sender {
  let waiting: Item[] = [];
  const flying = new Set<Item>();
  let keepaliveBytes = 0;
  let pausedUntil = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const stats = { delivered: 0, failed: 0, rejected: 0 };

  const later = (item: Item, ms: number) => {
    item.due = Date.now() + ms;
    waiting.push(item);
    pump();
  };

  /** Posts what is due, and wakes up for the next one (a 429 pause holds everything). */
  function pump(): void {
    const now = Date.now();
    const ready = now >= pausedUntil ? waiting.filter((item) => item.due <= now) : [];
    waiting = waiting.filter((item) => !ready.includes(item));
    ready.forEach(post);
    clearTimeout(timer);
    if (waiting.length && !stopped) timer = setTimeout(pump, Math.max(pausedUntil, Math.min(...waiting.map((item) => item.due))) - now);
  }

  function post(item: Item): void {
    if (stopped) return;
    const size = byteLength(item.body);
    const keepalive = keepaliveBytes + size <= MAX_BYTES;
    if (keepalive) keepaliveBytes += size;
    flying.add(item);
    const settle = () => {
      flying.delete(item);
      if (keepalive) keepaliveBytes -= size;
    };
    fetch(url, { method: 'POST', body: item.body, keepalive }).then(
      (response) => {
        settle();
        const status = response.status;
        if (status === 429) {
          pausedUntil = Date.now() + retryAfterSeconds(response.headers.get('retry-after')) * 1000;
          later(item, 0);
        } else if (status === 408 || status >= 500) retry(item);
        else stats[status < 300 ? 'delivered' : 'rejected']++;
      },
      () => {
        settle();
        retry(item);
      },
    );
  }

  function retry(item: Item): void {
    const delay = BACKOFF_MS[item.attempt++];
    if (delay === undefined) stats.failed++;
    else later(item, delay);
  }

  return {
    stats,
    send(body) {
      waiting.push({ body, attempt: 0, due: 0 });
      pump();
    },
    beacon() {
      // In flight too: a keepalive request outlives the page, but its retry would not. The ingest
      // stores an event_id once, so a copy that also arrives costs nothing.
      const unsent = [...waiting, ...flying];
      // Those a full beacon queue refuses stay for the page's next life (a back/forward cache).
      waiting = unsent.filter((item) => !navigator.sendBeacon?.(url, item.body));
    },
    idle: () => !waiting.length && !flying.size,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
