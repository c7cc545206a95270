// Keeps an event inside the schema's limits and at most 64 KiB of UTF-8 JSON, trimming in the
// order spec/README.md "Size" gives: cause entries from the last, long code-context lines,
// outer stack frames (keeping the 20 innermost), context, and finally the message.
import type { Frame, PixelEvent } from './event-types.js';

export const MAX_EVENT_BYTES = 64 * 1024;
const MAX_MESSAGE = 8192;
const MAX_LINE = 1024;
/** The schema's limit on frames per stack. */
export const MAX_FRAMES = 100;
const MIN_FRAMES = 20;

/** Cuts to at most `max` UTF-16 units without splitting a surrogate pair. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** Applies the per-field limits of spec/event.schema.json (lengths and counts). */
export function fitSchema(event: PixelEvent): PixelEvent {
  const frames = (stack: Frame[]) =>
    stack.slice(0, MAX_FRAMES).map((f) => ({ ...f, file: cut(f.file, MAX_LINE), fn: cut(f.fn, MAX_LINE) }));
  event.type = cut(event.type, 512) || 'Error';
  event.message = cut(event.message, MAX_MESSAGE);
  event.stack = frames(event.stack);
  if (event.code_context) {
    event.code_context.file = cut(event.code_context.file, MAX_LINE);
    event.code_context.lines = event.code_context.lines.slice(0, 11).map((line) => cut(line, MAX_LINE));
  }
  if (event.cause) {
    event.cause = event.cause.slice(0, 10).map((c) => ({ ...c, type: cut(c.type, 512) || 'Error', message: cut(c.message, MAX_MESSAGE), stack: frames(c.stack) }));
  }
  return event;
}

/** Serializes the event, trimming until it fits; returns the JSON text. */
export function serializeWithinLimit(event: PixelEvent, maxBytes = MAX_EVENT_BYTES): string {
  let json = JSON.stringify(event);
  const fits = () => json.length <= maxBytes / 3 || Buffer.byteLength(json, 'utf8') <= maxBytes;
  const again = () => (json = JSON.stringify(event));

  while (!fits() && event.cause && event.cause.length > 0) {
    event.cause.pop();
    if (event.cause.length === 0) delete event.cause;
    again();
  }
  // Schema limits already cap context lines at 1,024 characters: nothing more to cut there.
  while (!fits() && event.stack.length > MIN_FRAMES) {
    event.stack.splice(Math.max(MIN_FRAMES, event.stack.length - Math.ceil(event.stack.length / 4)));
    again();
  }
  if (!fits() && event.context !== undefined) {
    event.context = { _trimmed: true };
    again();
  }
  while (!fits() && event.message.length > 0) {
    event.message = cut(event.message, Math.min(MAX_MESSAGE, Math.floor(event.message.length / 2)));
    again();
  }
  // Pathological input (20 frames with 1 KiB names, escaped control characters): still bounded.
  if (!fits()) {
    event.code_context = null;
    event.stack = event.stack.slice(0, 1);
    again();
  }
  return json;
}
