// Builds the wire event from a capture in two steps, so the caller's thread does almost nothing:
// `prepareEvent` parses stacks (no I/O) and says which file it needs; once that file's lines are
// in the SourceCache (async normally, sync when dying), `finishEvent` scrubs (spec/scrubbing.md),
// applies the schema limits and adds the code context and the fingerprint of what is sent.
import type { Cause, CodeContext, Frame, Level, PixelEvent } from './event-types.js';
import { fitSchema, MAX_FRAMES, serializeWithinLimit } from './event-size.js';
import { fingerprint, pickFrame } from './fingerprint.js';
import { nodeCrypto } from './on-demand-builtins.js';
import { locateFrame, type LocatedFrame, type PathRoots } from './frame-paths.js';
import type { SourceCache } from './source-cache.js';
import { scrubEvent } from './scrub.js';
import { parseV8Stack } from './stack-parse.js';
import { type DescribedValue, describeThrown, linkedExceptions } from './thrown-value.js';
import { SDK_NAME, SDK_VERSION } from './version.js';

export interface Capture {
  kind: 'error' | 'message';
  /** The thrown value, for kind `error`. */
  value?: unknown;
  /** The thrown value as it was when reported, before anything else could change it. */
  described?: DescribedValue;
  /** The reported message (reportPixel's first argument), '' for crashes. */
  message: string;
  level: Level;
  manual: boolean;
  context?: Record<string, unknown>;
  /** An Error made at the reportPixel call: the stack for values that carry none. */
  callSite?: Error;
  timestamp: number;
  /** Chosen at capture so reportPixel can return it. */
  eventId?: string;
}

export interface EventSettings {
  projectKey: string;
  scrub: boolean;
  runtime: string;
  environment: string | null;
  release: string | null;
}

export interface PreparedEvent {
  capture: Capture;
  type: string;
  message: string;
  located: LocatedFrame[];
  cause: Cause[];
  /** The file whose lines the fingerprint and code context need, if any. */
  sourcePath: string | null;
}

const CONTEXT_LINES = 5;

export function prepareEvent(capture: Capture, roots: PathRoots): PreparedEvent {
  const isError = capture.kind === 'error';
  const described = isError ? (capture.described ?? describeThrown(capture.value)) : { type: 'Message', message: capture.message, stack: null };
  const stackText = described.stack ?? capture.callSite?.stack ?? '';
  const located = framesOf(stackText, roots);
  const cause = isError
    ? linkedExceptions(capture.value).map(({ relation, value }) => {
        const linked = describeThrown(value);
        return { relation, type: linked.type, message: linked.message, stack: framesOf(linked.stack ?? '', roots).map((l) => l.frame) };
      })
    : [];
  return withFrames({ capture, type: described.type, message: described.message, located, cause, sourcePath: null }, located);
}

/** The prepared event with its frames replaced (after source mapping). */
export function withFrames(prepared: PreparedEvent, located: LocatedFrame[]): PreparedEvent {
  // Picked among the frames that will be sent, as the fingerprint is.
  const kept = located.slice(0, MAX_FRAMES);
  const picked = kept.find((l) => l.frame.in_app) ?? kept[0];
  return { ...prepared, located, sourcePath: picked?.absolutePath ?? null };
}

export function finishEvent(prepared: PreparedEvent, sources: SourceCache, settings: EventSettings): PixelEvent {
  const { capture } = prepared;
  const stack = prepared.located.map((l) => l.frame);
  const picked = pickFrame(stack.slice(0, MAX_FRAMES));
  const lines = prepared.sourcePath === null ? null : (sources.lines(prepared.sourcePath) ?? null);

  const event: PixelEvent = {
    event_id: capture.eventId ?? nodeCrypto().randomUUID(),
    project_key: settings.projectKey,
    fingerprint: '',
    type: prepared.type,
    message: prepared.message,
    stack,
    code_context: picked && lines ? codeContext(picked, lines) : null,
    runtime: settings.runtime,
    manual_report: capture.manual,
    level: capture.level,
    occurred_at: new Date(capture.timestamp).toISOString(),
    sdk: { name: SDK_NAME, version: SDK_VERSION },
  };
  if (prepared.cause.length > 0) event.cause = prepared.cause.map((c) => ({ ...c }));
  if (settings.environment !== null) event.environment = settings.environment;
  if (settings.release !== null) event.release = settings.release;
  const context = contextOf(capture, prepared.message);
  if (context) event.context = context;
  // Before the fingerprint: reports that differ only by an address share a group.
  if (settings.scrub) scrubEvent(event);
  fitSchema(event);
  // The fingerprint of what is sent: the scrubbed message, the frames within the schema's limits.
  event.fingerprint = fingerprintOf(event, prepared, sources);
  return event;
}

/**
 * Serialises the event within the size limit. When trimming removed the frame the fingerprint
 * was picked from, the fingerprint and the code context become those of the frame picked from the
 * frames kept (spec/fingerprint.md). That frame is the innermost, which trimming never removes.
 */
export function serializeFinished(event: PixelEvent, prepared: PreparedEvent, sources: SourceCache): string {
  const before = pickFrame(event.stack);
  const json = serializeWithinLimit(event);
  const after = pickFrame(event.stack);
  if (after === before) return json;
  // Rare (a huge event whose in-app frame was beyond the kept ones): one small synchronous read.
  const path = after ? prepared.located[event.stack.indexOf(after)]?.absolutePath : undefined;
  if (path) sources.loadSync([path]);
  const lines = path ? sources.lines(path) : null;
  event.fingerprint = fingerprintOf(event, prepared, sources);
  event.code_context = after && lines ? codeContext(after, lines) : null;
  fitSchema(event);
  return serializeWithinLimit(event);
}

/** `event.stack[i]` is `prepared.located[i]` cut to the schema's lengths: the absolute path comes from there. */
function fingerprintOf(event: PixelEvent, prepared: PreparedEvent, sources: SourceCache): string {
  const picked = pickFrame(event.stack);
  const path = picked ? prepared.located[event.stack.indexOf(picked)]?.absolutePath : undefined;
  const lines = path ? sources.lines(path) : undefined;
  const sourceLine = picked && lines && picked.line >= 1 ? (lines[picked.line - 1] ?? null) : null;
  return fingerprint({
    kind: prepared.capture.kind,
    type: event.type,
    message: event.message,
    frames: event.stack.map((f) => ({ ...f, source: f === picked ? sourceLine : null })),
    logger: null,
  });
}

function framesOf(stackText: string, roots: PathRoots): LocatedFrame[] {
  const located: LocatedFrame[] = [];
  for (const raw of parseV8Stack(stackText)) {
    const frame = locateFrame(raw, roots);
    if (frame) located.push(frame);
  }
  return located;
}

function codeContext(frame: Frame, lines: string[]): CodeContext | null {
  if (frame.line < 1 || frame.line > lines.length) return null;
  const first = Math.max(1, frame.line - CONTEXT_LINES);
  const last = Math.min(lines.length, frame.line + CONTEXT_LINES);
  return { file: frame.file, error_line: frame.line, lines: lines.slice(first - 1, last), start_line: first };
}

/** The app's context as plain JSON data, plus the report's own message when an error took its place. */
function contextOf(capture: Capture, eventMessage: string): Record<string, unknown> | null {
  let context: Record<string, unknown> | null = null;
  if (capture.context && typeof capture.context === 'object') {
    context = toJsonObject(capture.context);
  }
  if (capture.kind === 'error' && capture.manual && capture.message !== '' && capture.message !== eventMessage) {
    context = { ...(context ?? {}), report_message: capture.message };
  }
  return context;
}

/** Cycles, BigInts and throwing getters must not make a report fail. */
function toJsonObject(value: object): Record<string, unknown> {
  const seen = new WeakSet<object>();
  try {
    const json = JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'bigint') return `${v}n`;
      if (typeof v === 'object' && v !== null) {
        if (seen.has(v)) return '[Circular]';
        seen.add(v);
      }
      return v;
    });
    const parsed: unknown = json === undefined ? {} : JSON.parse(json);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { value: parsed };
  } catch (error) {
    return { _unserializable: String(error instanceof Error ? error.message : error) };
  }
}
