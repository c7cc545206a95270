// The bounded queue between capture and the network, with the Python SDK's rules: at most
// `maxQueue` events (the newest is dropped and counted when full), at most 4 requests in
// flight, 408/5xx/network errors retried after 0.2, 0.4, 0.8, 1.6 and 3.2 s and then given up
// with one stderr line, 429 pauses all sending for Retry-After while keeping the queue, any
// other 4xx dropped with one warning per status. Every timer is unref'd: an idle or
// backing-off queue never keeps the process alive (beforeExit and exit take over then).
import type { QueueStats } from './public-types.js';
import type { Outcome } from './transport.js';

export interface QueueItem {
  id: string;
  body: string;
  /** Failed attempts so far. */
  attempts: number;
  /** Set for events loaded from the spool: the file to delete once settled. */
  spoolFile?: string;
  /** Called once when the event is delivered, refused or given up. */
  onSettled?: (result: Settled) => void;
}

export type Settled = { ok: true; status: number } | { ok: false; status: number | null; error: string; final: boolean };

export interface QueueHooks {
  send(body: string, cancel: AbortSignal): Promise<Outcome>;
  /** An event delivered or refused for good (it must not be sent again). */
  onFinal(item: QueueItem): void;
  /** An event given up after the last retry: the client spools it for the next process. */
  onGiveUp(item: QueueItem): void;
  warn(message: string): void;
}

const MAX_IN_FLIGHT = 4;
export const BACKOFF_MS = [200, 400, 800, 1600, 3200];

export class DeliveryQueue {
  private readonly ready: QueueItem[] = [];
  private readonly backingOff = new Map<QueueItem, NodeJS.Timeout>();
  /** Each request in flight, with the controller that cancels it. */
  private readonly inFlight = new Map<QueueItem, AbortController>();
  private readonly idleWaiters = new Set<() => void>();
  private readonly warnedStatuses = new Set<number>();
  private pausedUntil = 0;
  /** Set when the process is ending: what is released now is for the worker or the spool. */
  private closed = false;
  private pauseTimer: NodeJS.Timeout | null = null;
  private reserved = 0;
  private counts = { delivered: 0, rejected: 0, failed: 0, dropped: 0 };

  constructor(
    private readonly maxQueue: number,
    private readonly hooks: QueueHooks,
    private readonly backoffScale = 1,
  ) {}

  get size(): number {
    return this.ready.length + this.backingOff.size + this.inFlight.size + this.reserved;
  }

  /** How many more events fit. */
  get room(): number {
    return Math.max(0, this.maxQueue - this.size);
  }

  stats(): QueueStats {
    return { queued: this.size, inFlight: this.inFlight.size, ...this.counts };
  }

  /** Holds a place for an event still being built; false (and counted) when the queue is full. */
  reserve(): boolean {
    if (this.size >= this.maxQueue) {
      this.counts.dropped++;
      return false;
    }
    this.reserved++;
    return true;
  }

  /** Gives a reserved place back, with the built event or without (dropped by sampling or beforeSend). */
  release(item: QueueItem | null): void {
    this.reserved = Math.max(0, this.reserved - 1);
    if (item) this.ready.push(item);
    this.pump();
    this.checkIdle();
  }

  /** Adds an event that needed no reservation (from the spool, or the doctor probe). */
  push(item: QueueItem): boolean {
    if (this.size >= this.maxQueue) {
      this.counts.dropped++;
      return false;
    }
    this.ready.push(item);
    this.pump();
    return true;
  }

  /** Resolves true once nothing is left to send, false if `timeoutMs` passes first. */
  flush(timeoutMs: number): Promise<boolean> {
    if (this.size === 0) return Promise.resolve(true);
    // While flushing, retries are not worth waiting for longer than the flush lasts: they still
    // happen on schedule, and what remains at the deadline is the caller's to spool.
    return new Promise((resolve) => {
      const done = (result: boolean) => {
        clearTimeout(deadline);
        this.idleWaiters.delete(onIdle);
        resolve(result);
      };
      const onIdle = () => done(true);
      // Deliberately not unref'd: a flush someone waits for must be allowed to finish.
      const deadline = setTimeout(() => done(false), timeoutMs);
      this.idleWaiters.add(onIdle);
    });
  }

  /** Whether an unsettled event (built, not yet delivered or given up) matches. */
  hasUnsettled(matches: (item: QueueItem) => boolean): boolean {
    return [...this.inFlight.keys(), ...this.backingOff.keys(), ...this.ready].some(matches);
  }

  /**
   * No new request from now on: the process is ending, and starting one would only load the
   * HTTP client (a few ms of the exit) for a request that is aborted at once.
   */
  close(): void {
    this.closed = true;
  }

  /** Removes and returns every unsettled event (for the spool, when the process ends). */
  takeUnsettled(): QueueItem[] {
    const items = [...this.inFlight.keys(), ...this.backingOff.keys(), ...this.ready];
    for (const timer of this.backingOff.values()) clearTimeout(timer);
    // An open request would keep the process alive until its timeout; the spool has the event now.
    for (const controller of this.inFlight.values()) controller.abort();
    this.backingOff.clear();
    this.inFlight.clear();
    this.ready.length = 0;
    return items;
  }

  private pump(): void {
    if (this.closed || Date.now() < this.pausedUntil) return;
    while (this.inFlight.size < MAX_IN_FLIGHT && this.ready.length > 0) {
      const item = this.ready.shift()!;
      const controller = new AbortController();
      this.inFlight.set(item, controller);
      void this.hooks.send(item.body, controller.signal).then(
        (outcome) => this.settle(item, outcome),
        (error: unknown) => this.settle(item, { kind: 'retry', status: null, reason: String(error) }),
      );
    }
  }

  private settle(item: QueueItem, outcome: Outcome): void {
    // Taken for the spool meanwhile (the process is ending): the spool owns it now.
    if (!this.inFlight.delete(item)) return;
    switch (outcome.kind) {
      case 'delivered':
        this.counts.delivered++;
        this.finish(item, { ok: true, status: outcome.status });
        break;
      case 'rejected':
        this.counts.rejected++;
        if (!this.warnedStatuses.has(outcome.status)) {
          this.warnedStatuses.add(outcome.status);
          this.hooks.warn(`the ingest refused an event (${outcome.reason}); events refused with HTTP ${outcome.status} are dropped`);
        }
        this.finish(item, { ok: false, status: outcome.status, error: outcome.reason, final: true });
        break;
      case 'throttled':
        this.ready.unshift(item);
        this.pause(outcome.pauseMs);
        break;
      case 'retry':
        this.retryLater(item, outcome);
        break;
    }
    this.pump();
    this.checkIdle();
  }

  private finish(item: QueueItem, result: Settled): void {
    if (result.ok || result.final) this.hooks.onFinal(item);
    item.onSettled?.(result);
  }

  private retryLater(item: QueueItem, outcome: Extract<Outcome, { kind: 'retry' }>): void {
    const delay = BACKOFF_MS[item.attempts];
    item.attempts++;
    if (delay === undefined) {
      this.counts.failed++;
      this.hooks.warn(`gave up delivering event ${item.id} after ${item.attempts} attempts (${outcome.reason})`);
      this.hooks.onGiveUp(item);
      this.finish(item, { ok: false, status: outcome.status, error: outcome.reason, final: false });
      return;
    }
    const timer = setTimeout(() => {
      if (!this.backingOff.delete(item)) return;
      this.ready.push(item);
      this.pump();
    }, delay * this.backoffScale);
    timer.unref();
    this.backingOff.set(item, timer);
  }

  private pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
    if (this.pauseTimer) clearTimeout(this.pauseTimer);
    this.pauseTimer = setTimeout(() => {
      this.pauseTimer = null;
      this.pausedUntil = 0;
      this.pump();
    }, Math.max(0, this.pausedUntil - Date.now()));
    this.pauseTimer.unref();
  }

  private checkIdle(): void {
    if (this.size !== 0) return;
    for (const waiter of [...this.idleWaiters]) waiter();
  }
}
