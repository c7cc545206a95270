/**
 * spec/fingerprint.md "Browser events", point 2: the ingest maps a browser event's frames through
 * its build's source maps and makes the fingerprint final. Where the maps come from (listen: the
 * build output; serve: uploads) is a MapSource's job; this module only applies them. Nothing here
 * may fail an ingestion: a map that cannot be read or applied leaves the event as it was sent.
 */
import { originalPositionFor, sourceContentFor, type TraceMap } from '@jridgewell/trace-mapping';
import { fingerprint, pickFrame, type FingerprintFrame } from '../../runtimes/node/src/fingerprint.js';
import { fileUrlToPath } from '../../runtimes/node/src/frame-paths.js';
import type { Frame, IngestEvent } from './event.js';

export interface LoadedMap {
  map: TraceMap;
  /** The prefix of the map's resolved sources that is the project root (with a trailing `/`), or ''. */
  root: string;
}

/** The map of the generated script a frame's `file` names, or null when there is none. */
export type MapSource = (file: string, event: IngestEvent) => Promise<LoadedMap | null>;

interface MappedFrame extends FingerprintFrame {
  col: number;
  /** The map's name at this position: at a call site, the original name of the function called. */
  calls: string | null;
  /** The original file's whole text (the map's sourcesContent), for the code context. */
  text: string | null;
}

const CONTEXT_LINES = 5;
const MAX_LINE_CHARS = 1024;

export function isBrowserEvent(event: IngestEvent): boolean {
  return typeof event.runtime === 'string' && event.runtime.startsWith('browser-');
}

/**
 * A frame's original function name is the name the map gives its caller's call site (the next
 * frame outward): the map names identifiers, and a throw or a call inside the function is not its
 * name. A frame without a mapped caller keeps the name it was sent with.
 *
 * The event with its frames (and its causes' frames) mapped, its code context taken from the
 * original source and its fingerprint recomputed; the event itself when no frame was mapped.
 */
export async function applySourceMaps(event: IngestEvent, maps: MapSource): Promise<IngestEvent> {
  if (!isBrowserEvent(event)) return event;
  const lookups = new Map<string, Promise<LoadedMap | null>>();
  const mapFor = (file: string) => {
    let found = lookups.get(file);
    if (!found) lookups.set(file, (found = maps(file, event).catch(() => null)));
    return found;
  };
  const mapStack = async (stack: Frame[]) => {
    const mapped = await Promise.all(stack.map(async (frame) => mapFrame(frame, frame.in_app ? await mapFor(frame.file) : null)));
    return mapped.map((frame, i) => frame && { ...frame, fn: mapped[i + 1]?.calls ?? frame.fn });
  };

  const stack = await mapStack(event.stack);
  if (!stack.some((frame) => frame !== null)) return event;
  const frames = stack.map((mapped, i) => mapped ?? { ...event.stack[i]!, source: null, text: null, calls: null });
  const causes = Array.isArray(event.cause) ? await Promise.all(event.cause.map(mapCause)) : undefined;
  const picked = pickFrame(frames);
  return {
    ...event,
    stack: frames.map(toWireFrame),
    ...(causes && { cause: causes }),
    code_context: picked?.text ? codeContext(picked, picked.text) : event.code_context,
    fingerprint: fingerprint({ kind: kindOf(event), type: event.type, message: event.message, frames, logger: null }),
  };

  async function mapCause(cause: { stack: Frame[] }) {
    const mapped = await mapStack(cause.stack);
    return { ...cause, stack: mapped.map((frame, i) => (frame ? toWireFrame(frame) : cause.stack[i]!)) };
  }
}

/**
 * spec/fingerprint.md "Browser events", point 1: a browser event may come without a fingerprint
 * (the browser SDK sends none, to stay small); it gets the provisional one here, computed on the
 * frames as sent, before any maps apply. An event that has one keeps it.
 */
export function withProvisionalFingerprint(event: IngestEvent): IngestEvent {
  if (typeof event.fingerprint === 'string') return event;
  const frames = event.stack.map((frame) => ({ ...frame, source: null }));
  return { ...event, fingerprint: fingerprint({ kind: kindOf(event), type: event.type, message: event.message, frames, logger: null }) };
}

/** A report without an exception is the SDK's `Message` (spec/fingerprint.md "Inputs"). */
function kindOf(event: IngestEvent): 'error' | 'message' {
  return event.type === 'Message' && event.manual_report === true ? 'message' : 'error';
}

function mapFrame(frame: Frame, loaded: LoadedMap | null): MappedFrame | null {
  if (!loaded || frame.line < 1) return null;
  const { map, root } = loaded;
  try {
    const found = originalPositionFor(map, { line: frame.line, column: Math.max(0, frame.col - 1) });
    if (found.source === null || found.line === null) return null;
    const { file, in_app } = normaliseSourcePath(found.source, root);
    const text = sourceContentFor(map, found.source);
    return {
      file,
      in_app,
      line: found.line,
      col: (found.column ?? 0) + 1,
      fn: frame.fn,
      calls: found.name,
      source: text === null ? null : (text.split(/\r?\n/)[found.line - 1] ?? null),
      text,
    };
  } catch {
    return null;
  }
}

function toWireFrame({ file, line, col, fn, in_app }: MappedFrame): Frame {
  return { file: file.slice(0, MAX_LINE_CHARS), line, col, fn: fn.slice(0, MAX_LINE_CHARS), in_app };
}

function codeContext(frame: MappedFrame, text: string) {
  const lines = text.split(/\r?\n/);
  const first = Math.max(1, frame.line - CONTEXT_LINES);
  const last = Math.min(lines.length, frame.line + CONTEXT_LINES);
  return {
    file: frame.file.slice(0, MAX_LINE_CHARS),
    error_line: frame.line,
    lines: lines.slice(first - 1, last).map((line) => line.slice(0, MAX_LINE_CHARS)),
    start_line: first,
  };
}

const NODE_MODULES = 'node_modules/';

/**
 * A map's source path (already resolved against the map's location) as a wire frame path:
 * `<root>src/x.js`, `webpack://app/./src/x.js`, `../../src/x.js` and `./src/x.js` are all
 * `src/x.js`; anything under node_modules/ is a library frame named by the part after the last
 * node_modules/ (spec/fingerprint.md "Frame paths").
 */
export function normaliseSourcePath(source: string, root: string): { file: string; in_app: boolean } {
  let path = source.replace(/\\/g, '/').replace(/[?#].*$/s, '');
  if (path.startsWith('file://')) path = fileUrlToPath(path);
  if (root !== '' && path.startsWith(root)) path = path.slice(root.length);
  path = path.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*\//i, '');
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '.' || segment === '') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normal = segments.join('/');
  const libraryAt = normal.lastIndexOf(NODE_MODULES);
  if (libraryAt === 0 || (libraryAt > 0 && normal[libraryAt - 1] === '/')) {
    return { file: normal.slice(libraryAt + NODE_MODULES.length), in_app: false };
  }
  return { file: normal, in_app: true };
}
