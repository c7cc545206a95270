/**
 * The one-time move from the old store (`.ez-pixel/events.jsonl`, one event per line) into the
 * database. The file is streamed line by line, never read whole, and left as it was; the database
 * remembers the import, and event_id dedupe makes an interrupted import safe to run again.
 */
import { createReadStream, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { IngestEvent } from './event.js';
import type { Store } from './store.js';
import type { EventValidator } from './validate.js';

export interface ImportOutcome {
  imported: number;
  /** Lines that were not events (a torn last line, a corrupt line), one message each. */
  skipped: string[];
}

/** Appends in flight at once: enough for the SQLite engine to commit them in large batches. */
const batchSize = 500;
const maxSkipMessages = 20;

export function importMarker(path: string): string {
  return `imported:${resolve(path)}`;
}

/** Imports `path` unless it is missing or was imported before; undefined when there was nothing to do. */
export async function importJsonlOnce(path: string, store: Store, validate: EventValidator): Promise<ImportOutcome | undefined> {
  if (!existsSync(path) || (await store.getMeta(importMarker(path))) !== undefined) return undefined;
  const outcome: ImportOutcome = { imported: 0, skipped: [] };
  let skippedTotal = 0;
  let batch: Promise<unknown>[] = [];
  let number = 0;
  // A last line without its newline is imported like any other when it is a whole event.
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of lines) {
    number++;
    if (line.trim() === '') continue;
    const event = parseEvent(line, validate);
    if (!event) {
      skippedTotal++;
      if (outcome.skipped.length < maxSkipMessages) outcome.skipped.push(`${path}:${number}: not a whole event, skipped`);
      continue;
    }
    batch.push(store.append(event, receivedAtOf(event)).then((result) => (result.duplicate ? 0 : outcome.imported++)));
    if (batch.length >= batchSize) {
      await Promise.all(batch);
      batch = [];
    }
  }
  await Promise.all(batch);
  if (skippedTotal > outcome.skipped.length) outcome.skipped.push(`… and ${skippedTotal - outcome.skipped.length} more lines skipped`);
  await store.setMeta(importMarker(path), JSON.stringify({ at: new Date().toISOString(), imported: outcome.imported }));
  return outcome;
}

function parseEvent(line: string, validate: EventValidator): IngestEvent | undefined {
  try {
    const validation = validate(JSON.parse(line) as unknown);
    return validation.ok ? validation.event : undefined;
  } catch {
    return undefined;
  }
}

/** The old store kept no arrival time; the event's own time stands in for it. */
function receivedAtOf(event: IngestEvent): Date {
  const time = new Date(event.occurred_at);
  return Number.isNaN(time.getTime()) ? new Date() : time;
}
