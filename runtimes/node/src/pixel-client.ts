// One configured SDK: takes captures, builds events off the caller's path, delivers them, and
// makes sure none is lost when the process ends: flushed on beforeExit, sent by a worker
// before an uncaught exception kills the process, spooled to disk on exit.
import { existsSync, unlinkSync } from 'node:fs';
import { type CrashCourier, startCourier } from './crash-delivery.js';
import { BACKOFF_MS, DeliveryQueue, type QueueItem } from './delivery-queue.js';
import { debug, warn } from './diagnostics.js';
import { applyBeforeSend } from './before-send.js';
import type { Capture, PreparedEvent } from './event-builder.js';
import { finishEvent, prepareEvent, serializeFinished, withFrames } from './event-builder.js';
import { fitSchema, serializeWithinLimit } from './event-size.js';
import type { Frame, PixelEvent } from './event-types.js';
import { type PathRoots, toDirectoryPrefix } from './frame-paths.js';
import type { Config } from './options.js';
import { nodeCrypto } from './on-demand-builtins.js';
import { installHooks } from './process-hooks.js';
import { sdkDirectory } from './sdk-location.js';
import { SourceCache } from './source-cache.js';
import { SourceMaps } from './source-maps.js';
import { loadSpool, releaseSpooled, removeSpooled, spoolDirectory, spoolRoot, spoolSync } from './spool.js';
import { describeThrown } from './thrown-value.js';
import { postEvent } from './transport.js';

export class PixelClient {
  readonly queue: DeliveryQueue;
  private readonly sources = new SourceCache();
  private readonly sourceMaps = new SourceMaps(this.sources);
  private readonly reported = new WeakSet<object>();
  private readonly building = new Set<Capture>();
  /** True while beforeSend runs: a report made from inside it is dropped (spec/hooks.md). */
  private inHook = false;
  /**
   * Events of uncaught exceptions and unhandled rejections: if the process exits with one unsent
   * (an app's own listener often logs it and calls process.exit()), it is sent before the exit.
   */
  private readonly crashIds = new Set<string>();
  private rootsValue: PathRoots | null = null;
  private readonly backoffScale: number;
  private uninstallHooks: (() => void) | null = null;
  private exitFlushRunning = false;
  private readonly env: NodeJS.ProcessEnv;
  private spoolPath: string | null = null;

  constructor(readonly config: Config, env: NodeJS.ProcessEnv = process.env) {
    this.env = env;
    // Private, for the test suite only: shrinks the retry backoff (production keeps 0.2…3.2 s).
    const scale = Number(env.EZ_PIXEL_BACKOFF_SCALE);
    this.backoffScale = Number.isFinite(scale) && scale > 0 ? scale : 1;
    this.queue = new DeliveryQueue(
      config.maxQueue,
      {
        send: (body, cancel) => postEvent(config.ingestUrl, config.projectKey, body, cancel),
        onFinal: (item) => {
          if (item.spoolFile) void removeSpooled(item.spoolFile);
        },
        // As in the Python SDK: an event the ingest never took waits for the next process.
        onGiveUp: (item) => this.spoolQuietly([item]),
        warn,
      },
      this.backoffScale,
    );
  }

  /** Computed with the first event: formatting a stack trace at init would cost ~1 ms of startup. */
  private get roots(): PathRoots {
    this.rootsValue ??= { root: toDirectoryPrefix(this.config.root), sdkDir: sdkDirectory() };
    return this.rootsValue;
  }

  /** Computed on first use: it needs node:crypto, which init does not load. */
  get spoolDir(): string {
    this.spoolPath ??= spoolDirectory(this.config.projectKey, this.env);
    return this.spoolPath;
  }

  start(): void {
    this.uninstallHooks = installHooks({
      onUncaught: (error, _origin, dying) => this.onUncaught(error, dying),
      onRejection: (reason) => this.onRejection(reason),
      onBeforeExit: () => this.onBeforeExit(),
      onExit: () => this.onExit(),
    });
    // Events a previous process left behind; off the init path, so init stays cheap. Not
    // unref'd: a short script must still live long enough to send them. When nothing was ever
    // spooled (the usual case) one existsSync is the whole cost.
    if (existsSync(spoolRoot(this.env))) setImmediate(() => void this.deliverSpooled());
  }

  /** Removes every listener. Pending events keep draining in the background. */
  detach(): void {
    this.uninstallHooks?.();
    this.uninstallHooks = null;
  }

  /**
   * The caller's part of a report: cheap checks, then the real work in a microtask. Returns the
   * event id, or null when nothing was queued (a duplicate, sampled out, or the queue is full).
   */
  capture(capture: Capture): string | null {
    if (this.inHook) return null;
    const value = capture.value;
    if (typeof value === 'object' && value !== null) {
      if (this.reported.has(value)) return null;
      this.reported.add(value);
    }
    if (this.config.sampleRate < 1 && Math.random() >= this.config.sampleRate) return null;
    if (!this.queue.reserve()) return null;
    capture.eventId = nodeCrypto().randomUUID();
    // Read now, not in the microtask: the app's own listeners run in between, and a logger's
    // format may rewrite the very Error it is handed (winston's `message = stack`).
    if (capture.kind === 'error') capture.described = describeThrown(value);
    this.building.add(capture);
    queueMicrotask(() => void this.buildAsync(capture));
    return capture.eventId;
  }

  flush(timeoutMs: number): Promise<boolean> {
    return this.queue.flush(timeoutMs);
  }

  /** Adds a ready-made event (the doctor probe), bypassing sampling and beforeSend. */
  enqueue(event: PixelEvent, onSettled: QueueItem['onSettled']): boolean {
    return this.queue.push({ id: event.event_id, body: serializeWithinLimit(fitSchema(event)), attempts: 0, onSettled });
  }

  /** Builds an event synchronously (reading sources with sync I/O), for the doctor probe. */
  buildNow(capture: Capture): PixelEvent {
    return finishEvent(this.prepareSync(capture), this.sources, this.config);
  }

  /** Synchronous: builds what is still pending and writes every unsent event to the spool. */
  spoolUnsettled(): void {
    try {
      this.buildPendingSync();
      this.spoolQuietly(this.queue.takeUnsettled());
    } catch (error) {
      debug('could not spool unsent events', error);
    }
  }

  /** Writes events to the spool (those claimed from it are given back); never throws. */
  private spoolQuietly(items: QueueItem[]): void {
    const fresh = items.filter((item) => !item.spoolFile);
    for (const item of items) if (item.spoolFile) releaseSpooled(item.spoolFile);
    try {
      if (fresh.length > 0) spoolSync(this.spoolDir, fresh);
    } catch (error) {
      debug('could not spool unsent events', error);
    }
  }

  private onUncaught(error: unknown, dying: boolean): void {
    const id = this.capture({ kind: 'error', value: error, message: '', level: 'fatal', manual: false, timestamp: Date.now() });
    if (id !== null) this.crashIds.add(id);
    if (dying) this.deliverBeforeExit();
  }

  private onRejection(reason: unknown): void {
    const id = this.capture({ kind: 'error', value: reason, message: '', level: 'error', manual: false, timestamp: Date.now() });
    if (id !== null) this.crashIds.add(id);
  }

  /**
   * An app whose own uncaughtException listener calls process.exit() (close-with-grace and many
   * servers do) ends here: the crash is delivered now, as when Node itself ends the process.
   */
  private onExit(): void {
    if (this.crashUnsent()) return this.deliverBeforeExit();
    this.queue.close();
    this.spoolUnsettled();
  }

  private crashUnsent(): boolean {
    if (this.crashIds.size === 0) return false;
    const isCrash = (id: string | undefined) => id !== undefined && this.crashIds.has(id);
    return [...this.building].some((capture) => isCrash(capture.eventId)) || this.queue.hasUnsettled((item) => isCrash(item.id));
  }

  /** Synchronous: builds what is pending, delivers it from a worker within shutdownTimeoutMs, spools the rest. */
  private deliverBeforeExit(): void {
    let courier: CrashCourier | null = null;
    try {
      courier = startCourier(this.config.ingestUrl, this.config.projectKey, this.config.shutdownTimeoutMs);
    } catch (failure) {
      debug('could not start the delivery worker; spooling instead', failure);
    }
    this.queue.close();
    this.buildPendingSync();
    const items = this.queue.takeUnsettled();
    let settled = items.map(() => false);
    try {
      if (courier) settled = courier.deliver(items.map((item) => item.body), BACKOFF_MS.map((ms) => ms * this.backoffScale));
    } catch (failure) {
      debug('could not deliver events before exit', failure);
    }
    items.forEach((item, i) => {
      if (settled[i] && item.spoolFile) unlinkQuietly(item.spoolFile);
    });
    this.spoolQuietly(items.filter((_, i) => !settled[i]));
  }

  private onBeforeExit(): void {
    if (this.exitFlushRunning || this.queue.size === 0) return;
    this.exitFlushRunning = true;
    void this.queue.flush(this.config.shutdownTimeoutMs).then((done) => {
      if (!done) this.spoolUnsettled();
      this.exitFlushRunning = false;
    });
  }

  private async buildAsync(capture: Capture): Promise<void> {
    let prepared: PreparedEvent | null = null;
    try {
      prepared = prepareEvent(capture, this.roots);
      const generated = this.sourceMaps.pending(prepared.located);
      if (generated.length > 0) await this.sourceMaps.load(generated);
      prepared = withFrames(prepared, this.sourceMaps.apply(prepared.located, this.roots));
      if (prepared.sourcePath) await this.sources.load([prepared.sourcePath]);
    } catch (error) {
      debug('could not read sources for an event', error);
    }
    if (!this.building.delete(capture)) return; // built synchronously meanwhile
    this.queue.release(this.toItem(capture, prepared));
  }

  private buildPendingSync(): void {
    for (const capture of [...this.building]) {
      this.building.delete(capture);
      let prepared: PreparedEvent | null = null;
      try {
        prepared = this.prepareSync(capture);
      } catch (error) {
        debug('could not read sources for an event', error);
      }
      this.queue.release(this.toItem(capture, prepared));
    }
  }

  /** prepareEvent plus source maps and sources, with synchronous I/O (the process is ending). */
  private prepareSync(capture: Capture): PreparedEvent {
    const prepared = prepareEvent(capture, this.roots);
    this.sourceMaps.loadSync(this.sourceMaps.pending(prepared.located));
    const mapped = withFrames(prepared, this.sourceMaps.apply(prepared.located, this.roots));
    if (mapped.sourcePath) this.sources.loadSync([mapped.sourcePath]);
    return mapped;
  }

  /**
   * The finished event as a queue item, or null when beforeSend dropped it. Never throws: the
   * queue place reserved for the capture is always given back, with an event whenever possible.
   */
  private toItem(capture: Capture, prepared: PreparedEvent | null): QueueItem | null {
    try {
      const ready = prepared ?? prepareEvent(capture, this.roots);
      const event = finishEvent(ready, this.sources, this.config);
      let body: string | null = serializeFinished(event, ready, this.sources);
      const { beforeSend } = this.config;
      if (beforeSend) {
        // A result that kept the SDK's fingerprint and frames is trimmed as the SDK's own event is.
        const { fingerprint } = event;
        const frames = [...event.stack];
        const serialize = (result: PixelEvent) => {
          const ours = result.fingerprint === fingerprint && sameFrames(result.stack, frames);
          fitSchema(result);
          return ours ? serializeFinished(result, ready, this.sources) : serializeWithinLimit(result);
        };
        this.inHook = true;
        try {
          body = applyBeforeSend(beforeSend, event, body, serialize);
        } finally {
          this.inHook = false;
        }
      }
      return body === null ? null : { id: capture.eventId ?? event.event_id, body, attempts: 0 };
    } catch (error) {
      debug('could not build an event', error);
      return null;
    }
  }

  private async deliverSpooled(): Promise<void> {
    try {
      for (const spooled of await loadSpool(this.spoolDir, this.queue.room)) {
        if (!this.queue.push({ id: spooled.id, body: spooled.body, attempts: 0, spoolFile: spooled.file })) releaseSpooled(spooled.file);
      }
    } catch (error) {
      debug('could not read the spool', error);
    }
  }
}

function sameFrames(stack: unknown, frames: Frame[]): boolean {
  return Array.isArray(stack) && stack.length === frames.length && stack.every((frame, i) => frame === frames[i]);
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone.
  }
}
