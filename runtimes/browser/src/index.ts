// @ez-pixel/browser: the page's uncaught errors and unhandled rejections, and manual reports,
// sent to an ez-pixel ingest. Nothing here may throw into the page: every entry point and
// listener is guarded, and a fault in the SDK costs at most a console warning.
import { cleanEvent } from './scrub.js';
import { serialize, uuid, type PixelEvent } from './event.js';
import { applyHook, type BeforeSend } from './hook.js';
import { runtimeName } from './runtime.js';
import { parseStack } from './stack.js';
import { describe, linked, type Described } from './thrown.js';
import { createSender, type Sender } from './transport.js';

export type { PixelEvent };

export interface PixelOptions {
  /** `pk_live_…` or `pk_test_…`; public by design (it only lets a page send events). */
  projectKey: string;
  /** The ingest's http(s) URL, e.g. `https://errors.example.com/ingest`. */
  ingestUrl: string;
  environment?: string;
  release?: string;
  /** Sent as the event's `runtime`; default `browser-<name>-<version>` from the user agent. */
  runtime?: string;
  /** Fraction of events sent, 0–1; default 1. */
  sampleRate?: number;
  /** spec/hooks.md: return the event (changed or not) to send it, null to drop it. */
  beforeSend?: BeforeSend;
  /** spec/scrubbing.md; default true. */
  scrub?: boolean;
  /** Events sent per minute from one page; default 30. */
  maxEventsPerMinute?: number;
  /** Print the SDK's own faults to the console; default false. */
  debug?: boolean;
}

export interface ReportOptions {
  error?: unknown;
  level?: 'fatal' | 'error' | 'warning' | 'info';
  context?: Record<string, unknown>;
}

export interface PixelStats {
  /** Events handed to delivery since initPixel. */
  queued: number;
  delivered: number;
  rejected: number;
  failed: number;
  /** Events not sent because of the per-minute cap, the dedupe window or sampling. */
  dropped: number;
  /** Cross-origin "Script error." events, which carry nothing to report. */
  crossOrigin: number;
}

/** The package's version, which the build writes in; '0.0.0' when run from source. */
declare const __VERSION__: string;

/** The active configuration; null while disabled. */
let options: PixelOptions | null = null;
let sender: Sender;
let stats: PixelStats;
/** When each error (type, message, place) was last admitted; its keys are JSON arrays, never `__proto__`. */
let recent: Record<string, number>;
/** When the events of the last minute were admitted. */
let sent: number[];
let off = () => {};
let inHook = false;
const reported = new WeakSet<object>();
const warned = new Set<string>();

function warn(text: string): void {
  const key = text.split(' (')[0]!;
  if (warned.has(key) && !options?.debug) return;
  warned.add(key);
  console.warn('ez-pixel: ' + text);
}

function guard<T>(run: () => T, fallback?: T): T {
  try {
    return run();
  } catch (error) {
    if (options?.debug) console.warn('ez-pixel: internal error', error);
    return fallback as T;
  }
}

export function initPixel(config: PixelOptions): boolean {
  return guard(() => {
    off();
    options = null;
    const { projectKey, ingestUrl } = config ?? {};
    if (!/^pk_(live|test)_[\w-]{1,128}$/.test(projectKey) || !/^https?:\/\//.test(ingestUrl)) return warn('disabled: bad projectKey/ingestUrl'), false;
    stats = { queued: 0, delivered: 0, rejected: 0, failed: 0, dropped: 0, crossOrigin: 0 };
    sender = createSender(ingestUrl, stats);
    const onError = (e: ErrorEvent) =>
      guard(() => {
        let error = e.error;
        if (error == null) {
          if (/^(Uncaught )?Script error\.?$/.test(e.message)) {
            stats.crossOrigin++;
            return warn('"Script error.": needs <script crossorigin>, its server CORS');
          }
          // An error event without an error object (old engines, some extensions): its message and place.
          error = Error(e.message);
          error.stack = `at ${e.filename}:${e.lineno}:${e.colno}`;
        }
        capture(error, false);
      });
    const onHide = () => document.hidden && sender.beacon_();
    // All on the window: visibilitychange bubbles there from the document.
    const listeners: Record<string, (e: never) => unknown> = {
      error: onError,
      unhandledrejection: (e: PromiseRejectionEvent) => guard(() => capture(e.reason, false)),
      pagehide: () => sender.beacon_(),
      visibilitychange: onHide,
    };
    // Own keys only: a page may have added enumerable properties to Object.prototype.
    const each = Object.entries(listeners) as [string, EventListener][];
    for (const [type, listener] of each) addEventListener(type, listener);
    off = () => {
      for (const [type, listener] of each) removeEventListener(type, listener);
      sender.stop_();
    };
    recent = {};
    sent = [];
    options = config;
    return true;
  }, false);
}

export function reportPixel(message: string, options: ReportOptions = {}): string | null {
  // Made here so that the stack's first frame is this one, which is then dropped.
  const here = Error();
  return guard(() => {
    const { error, level, context } = options;
    // The frames of a message report: without reportPixel's own, the first.
    if (!('error' in options)) return capture(null, true, level, context, { type: 'Message', message: String(message), stack: parseStack(String(here.stack)).slice(1) });
    // As in the other SDKs: the event's message is the error's, the report's goes to the context.
    return capture(error, true, level, { ...context, report_message: String(message) });
  }, null);
}

/** Resolves true once every queued event is sent (or given up), false if `timeoutMs` passes first. */
export async function flushPixel(timeoutMs = 2000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!options || sender.idle_()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Flushes (at most 2 s), then removes every listener and disables the SDK. */
export async function closePixel(): Promise<void> {
  await flushPixel();
  off();
  options = null;
}

export function getPixelStats(): PixelStats | null {
  return options && { ...stats };
}

/**
 * Builds, checks against the caps, passes through beforeSend and sends one event; returns its id.
 * `thrown`: the described value, when it is not `value` described.
 */
function capture(value: unknown, manual: boolean, level = 'error', context?: Record<string, unknown>, thrown?: Described): string | null {
  if (!options || inHook || reported.has(value as object)) return null;
  // Objects and functions: what a WeakSet can hold (has() is false for anything else).
  if (Object(value) === value) reported.add(value as object);
  const event: PixelEvent = {
    event_id: uuid(),
    project_key: options.projectKey,
    ...(thrown ?? describe(value)),
    code_context: null,
    runtime: options.runtime ?? runtimeName(),
    manual_report: manual,
    level,
    occurred_at: new Date().toISOString(),
    environment: options.environment || null,
    release: options.release || null,
    sdk: { name: 'ez-pixel-browser', version: typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0' },
    context: { ...context, page: location.origin + location.pathname },
  };
  const causes = linked(value, describe);
  if (causes.length) event.cause = causes;
  cleanEvent(event, options.scrub !== false);
  const unchanged = serialize(event);
  // The per-page caps: sampling, the same error (type, message, place) once in 5 s,
  // maxEventsPerMinute (over the last 60 s). The ingest computes the fingerprint; the caps only
  // need to know the same error again. One not seen before compares NaN, never within the window.
  const same = JSON.stringify([event.type, event.message, event.stack[0]]);
  const now = Date.now();
  sent = sent.filter((at) => now - at < 60000);
  if (Math.random() >= (options.sampleRate ?? 1) || now - recent[same]! < 5000 || sent.length >= (options.maxEventsPerMinute ?? 30)) return stats.dropped++, null;
  recent[same] = now;
  sent.push(now);
  let body: string | null = unchanged;
  if (options.beforeSend) {
    inHook = true;
    try {
      body = applyHook(options.beforeSend, JSON.parse(unchanged) as PixelEvent, unchanged, warn);
    } finally {
      inHook = false;
    }
  }
  if (body === null) return null;
  stats.queued++;
  sender.send_(body);
  return event.event_id;
}
