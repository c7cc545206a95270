// The event of spec/event.schema.json: the schema's length limits, then the 64 KiB size budget
// of spec/README.md "Size". A browser event carries no fingerprint: the ingest computes it from
// the frames kept, source-mapped when it has the maps (spec/fingerprint.md "Browser events").
import type { Frame } from './stack.js';

export interface PixelEvent {
  event_id: string;
  project_key: string;
  /** Absent unless beforeSend sets one. */
  fingerprint?: string;
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

export const byteLength = (text: string): number => new Blob([text]).size;

/**
 * A random version 4 UUID, unique enough for the ingest's once-per-event_id store: the engines'
 * Math.random (xorshift128+, seeded per page) in 31 hex digits, where crypto.randomUUID needs a
 * secure context and getRandomValues costs the page more bytes.
 */
export const uuid = (): string => '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) => (+c ^ ((Math.random() * 16) & (15 >> (+c / 4)))).toString(16));

/**
 * The body to send: limits applied, then trimmed to 64 KiB (causes from the last, frames from
 * the outermost keeping 20, context, the message). Throws on a field of the wrong type (only
 * strings have `substring`, only arrays `filter`), so beforeSend's result needs no other check.
 */
export function serialize(event: PixelEvent): string {
  event.type = event.type.substring(0, 512);
  event.message = event.message.substring(0, 8192);
  event.stack = event.stack.filter((_, i) => i < 100);
  if (event.cause) event.cause = event.cause.filter((_, i) => i < 10);
  let body;
  while (byteLength((body = JSON.stringify(event))) > MAX_BYTES) {
    if (event.cause?.length) event.cause.pop();
    else if (event.stack.length > 20) event.stack.pop();
    else if (event.context?._trimmed) throw Error('above 64 KiB');
    else event.context = { _trimmed: true };
  }
  return body;
}
