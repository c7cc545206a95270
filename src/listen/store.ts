/**
 * The event store: an append-only JSONL file, one event per line, plus an in-memory index (event
 * ids, groups) rebuilt from the file on open.
 *
 * An append resolves only once its line is written and fsynced, so an acknowledged event survives
 * `kill -9` or a power cut. Appends that arrive while a sync is running share the next one (group
 * commit), which keeps a flood of events from costing one fsync each.
 */
import { mkdir, open, readFile, truncate, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { IngestEvent } from './event.js';

export interface AppendResult {
  id: string;
  fingerprint: string;
  newGroup: boolean;
  /** The event_id was already stored; nothing was written. */
  duplicate: boolean;
  /** The group's size when this event joined it (a retry: its size now). */
  groupCount: number;
}

export interface OpenedStore {
  store: EventStore;
  /** Lines skipped while rebuilding the index (a torn last line, a corrupt line). */
  warnings: string[];
}

interface Entry {
  event: IngestEvent;
  /** 1 for the first event of its group, 2 for the second, … */
  position: number;
  newGroup: boolean;
  /** Settles when the line is on disk; a duplicate waits for it before answering. */
  durable: Promise<void>;
  acknowledged: boolean;
}

interface PendingLine {
  line: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class EventStore {
  private readonly byId = new Map<string, Entry>();
  private readonly byGroup = new Map<string, Entry[]>();
  private readonly inOrder: Entry[] = [];
  private queue: PendingLine[] = [];
  private flushing: Promise<void> | undefined;
  /** After a failed write or sync the file may end in a partial line: refuse further appends. */
  private failure: Error | undefined;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly file: FileHandle,
  ) {}

  static async open(path: string): Promise<OpenedStore> {
    await mkdir(dirname(path), { recursive: true });
    const { lines, warnings, existed } = await readStoreFile(path);
    const file = await open(path, 'a');
    // A new file's directory entry must reach the disk too, or the whole file can vanish on a crash.
    if (!existed) await syncDirectory(dirname(path));
    const store = new EventStore(path, file);
    lines.forEach(({ text, number }) => {
      const event = parseStoredLine(text);
      if (!event) warnings.push(`${path}:${number}: not a stored event, skipped`);
      else if (!store.byId.has(event.event_id)) store.index(event, true);
    });
    return { store, warnings };
  }

  /** Set once a write or sync failed; the store then refuses appends. */
  get failed(): Error | undefined {
    return this.failure;
  }

  get eventCount(): number {
    return this.inOrder.length;
  }

  get groupTotal(): number {
    return this.byGroup.size;
  }

  groupCount(fingerprint: string): number {
    return this.byGroup.get(fingerprint)?.length ?? 0;
  }

  /** Stores the event once per event_id and resolves when it is durable. */
  async append(event: IngestEvent): Promise<AppendResult> {
    const known = this.byId.get(event.event_id);
    if (known) {
      await known.durable;
      return this.resultFor(known, true);
    }
    if (this.closed) throw new Error('the event store is closed');
    const entry = this.index(event, false);
    entry.durable = this.write(`${JSON.stringify(event)}\n`);
    try {
      await entry.durable;
    } catch (error) {
      this.unindex(entry);
      throw error;
    }
    entry.acknowledged = true;
    return this.resultFor(entry, false);
  }

  /** Acknowledged events, newest first. */
  list({ fingerprint, limit }: { fingerprint?: string; limit: number }): IngestEvent[] {
    const source = fingerprint === undefined ? this.inOrder : (this.byGroup.get(fingerprint) ?? []);
    const events: IngestEvent[] = [];
    for (let i = source.length - 1; i >= 0 && events.length < limit; i--) {
      const entry = source[i]!;
      if (entry.acknowledged) events.push(entry.event);
    }
    return events;
  }

  /** Waits for pending writes, then closes the file. Appends after this are refused. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flushing;
    await this.file.close();
  }

  private index(event: IngestEvent, acknowledged: boolean): Entry {
    const group = this.byGroup.get(event.fingerprint) ?? [];
    const position = group.length + 1;
    const entry: Entry = { event, position, newGroup: position === 1, durable: Promise.resolve(), acknowledged };
    group.push(entry);
    this.byGroup.set(event.fingerprint, group);
    this.byId.set(event.event_id, entry);
    this.inOrder.push(entry);
    return entry;
  }

  private unindex(entry: Entry): void {
    this.byId.delete(entry.event.event_id);
    const group = (this.byGroup.get(entry.event.fingerprint) ?? []).filter((other) => other !== entry);
    if (group.length === 0) this.byGroup.delete(entry.event.fingerprint);
    else this.byGroup.set(entry.event.fingerprint, group);
    this.inOrder.splice(this.inOrder.indexOf(entry), 1);
  }

  private resultFor(entry: Entry, duplicate: boolean): AppendResult {
    const { event_id: id, fingerprint } = entry.event;
    const groupCount = duplicate ? this.groupCount(fingerprint) : entry.position;
    return { id, fingerprint, newGroup: entry.newGroup, duplicate, groupCount };
  }

  private write(line: string): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ line, resolve, reject });
      this.flushing ??= this.flushQueue();
    });
  }

  /** Writes and syncs everything queued, batch after batch, until the queue is empty. */
  private async flushQueue(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        if (this.failure) throw this.failure;
        await writeFully(this.file, Buffer.from(batch.map((pending) => pending.line).join(''), 'utf8'));
        // fdatasync also flushes the new file size, which is all an append needs.
        await this.file.datasync();
        batch.forEach((pending) => pending.resolve());
      } catch (error) {
        this.failure ??= new Error(
          `writing ${this.path} failed (${error instanceof Error ? error.message : String(error)}); ` +
            'new events are refused until ez-pixel listen restarts',
          { cause: error },
        );
        batch.forEach((pending) => pending.reject(this.failure));
      }
    }
    this.flushing = undefined;
  }
}

async function writeFully(file: FileHandle, bytes: Buffer): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await file.write(bytes, offset, bytes.length - offset);
    offset += bytesWritten;
  }
}

/**
 * Reads the store's lines. A last line without its newline was cut short by a crash mid-write; it
 * was never acknowledged, so it is cut off (with a warning) before new lines are appended after it.
 */
async function readStoreFile(
  path: string,
): Promise<{ lines: { text: string; number: number }[]; warnings: string[]; existed: boolean }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { lines: [], warnings: [], existed: false };
    throw error;
  }
  const warnings: string[] = [];
  const end = bytes.lastIndexOf(0x0a) + 1;
  if (end < bytes.length) {
    const number = end === 0 ? 1 : bytes.subarray(0, end).toString('utf8').split('\n').length;
    warnings.push(
      `${path}:${number}: skipped a torn last line (${bytes.length - end} bytes) from an interrupted write; it was never acknowledged`,
    );
    await truncate(path, end);
  }
  const lines = bytes
    .subarray(0, end)
    .toString('utf8')
    .split('\n')
    .slice(0, -1)
    .map((text, i) => ({ text, number: i + 1 }))
    .filter(({ text }) => text.trim() !== '');
  return { lines, warnings, existed: true };
}

/** The index needs only an object with an event_id and a fingerprint; the schema ran at ingest. */
function parseStoredLine(text: string): IngestEvent | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const { event_id: id, fingerprint } = value as Record<string, unknown>;
    return typeof id === 'string' && typeof fingerprint === 'string' ? (value as IngestEvent) : undefined;
  } catch {
    return undefined;
  }
}

async function syncDirectory(path: string): Promise<void> {
  const directory = await open(path, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}
