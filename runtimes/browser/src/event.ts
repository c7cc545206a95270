// The event of spec/event.schema.json: the schema's length limits, then the 64 KiB size budget
// of spec/README.md "Size", with the fingerprint computed on the frames that are kept.
import { fingerprint } from './fingerprint.js';
import type { Frame } from './stack.js';

export interface PixelEvent {
  event_id: string;
  project_key: string;
  fingerprint: string;
  type: string;
  message: string;
  stack: Frame[];
  code_context: null;
  runtime: string;
  manual_report: boolean;
  level: string;
  occurred_at: string;
  cause?: { relation: string; type: string; message: string; stack: Frame[] }[];
  environment?: string | null;
  release?: string | null;
  context?: Record<string, unknown>;
  sdk?: { name: string; version: string };
}

export const MAX_BYTES = 65536;

export const byteLength = (text: string): number => new TextEncoder().encode(text).length;

/** A random version 4 UUID; crypto.randomUUID needs a secure context, getRandomValues does not. */
export function uuid(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 15) | 64;
  b[8] = (b[8]! & 63) | 128;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return hex.replace(/(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
}

export type Kind = 'error' | 'message';

function setFingerprint(event: PixelEvent, kind: Kind): void {
  event.fingerprint = fingerprint({
    kind,
    type: event.type,
    message: event.message,
    frames: event.stack.map((f) => ({ ...f, source: null })),
    logger: null,
  });
}

/**
 * The body to send: limits applied, then trimmed to 64 KiB (causes from the last, frames from
 * the outermost keeping 20, context, the message), the fingerprint recomputed on what is kept
 * when `kind` is given (not for a beforeSend result, which keeps its own). The caller checks the
 * types the limits need.
 */
export function serialize(event: PixelEvent, kind?: Kind): string {
  event.type = event.type.slice(0, 512);
  event.message = event.message.slice(0, 8192);
  event.stack = event.stack.slice(0, 100);
  if (event.cause) event.cause = event.cause.slice(0, 10);
  for (;;) {
    if (kind) setFingerprint(event, kind);
    const body = JSON.stringify(event);
    if (byteLength(body) <= MAX_BYTES) return body;
    if (event.cause?.length) event.cause.pop();
    else if (event.stack.length > 20) event.stack.pop();
    else if (event.context && !event.context._trimmed) event.context = { _trimmed: true };
    else throw new Error('the event is above 64 KiB after trimming');
  }
}
