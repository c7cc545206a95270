// The types the package's declarations expose besides the event's (event-types.ts). Nothing
// here may name a Node type or use syntax newer than TypeScript 4.0: applications compile these
// declarations with their own compiler, with or without @types/node.
import type { PixelEvent } from './event-types.js';

export interface PixelOptions {
  projectKey?: string;
  ingestUrl?: string;
  runtime?: string;
  environment?: string;
  release?: string;
  /** Fraction of events sent, 0 to 1 (default 1). */
  sampleRate?: number;
  /**
   * Returns the event to send (possibly changed) or null to drop it. Synchronous: a Promise is
   * not awaited (the unchanged event is sent with a warning). See spec/hooks.md.
   */
  beforeSend?: (event: PixelEvent) => PixelEvent | null | undefined;
  /** E-mail addresses and credential-like keys become `[scrubbed]` (default true). See spec/scrubbing.md. */
  scrub?: boolean;
  maxQueue?: number;
  shutdownTimeoutMs?: number;
  debug?: boolean;
}

export interface QueueStats {
  /** Events waiting, backing off, being built or in flight. */
  queued: number;
  inFlight: number;
  delivered: number;
  /** Refused by the ingest with a 4xx other than 408 and 429. */
  rejected: number;
  /** Given up after the last retry. */
  failed: number;
  /** Dropped because the queue was full. */
  dropped: number;
}
