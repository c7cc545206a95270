/**
 * The full sync of SQLite's write-ahead log, off the event loop. With synchronous=FULL, SQLite
 * fdatasyncs the WAL inside every commit, and better-sqlite3 runs that on the JavaScript thread:
 * at 8 ms a sync, a flood spent half its time with the server frozen. The SQLite store therefore
 * commits with synchronous=NORMAL (SQLite itself then syncs only around checkpoints) and answers
 * no write before this has run the same fdatasync of the WAL, on libuv's thread pool, after the
 * commit: the same bytes on disk before the 2xx, while the next requests are parsed meanwhile.
 *
 * Syncs are shared: a commit made while one runs waits for the next one, which covers every
 * commit made before it started (fdatasync flushes the file, whoever wrote it).
 */
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

export class WalSync {
  private handle: Promise<FileHandle> | undefined;
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;

  constructor(private readonly walPath: string) {}

  /** Resolves once every commit made before the call is on disk; rejects with the sync's error. */
  durable(): Promise<void> {
    if (!this.running) {
      this.running = this.sync().finally(() => (this.running = undefined));
      return this.running;
    }
    // The running sync may have started before this commit: wait for the one after it.
    this.next ??= this.running.then(() => {
      this.next = undefined;
      return this.durable();
    });
    return this.next;
  }

  private async sync(): Promise<void> {
    // The WAL exists once the database is opened in WAL mode. When it was just created its
    // directory entry is synced too, once, as SQLite does for a new WAL.
    this.handle ??= open(this.walPath, 'r').then(async (handle) => {
      await syncDirectory(dirname(this.walPath));
      return handle;
    });
    await (await this.handle).datasync();
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.running, this.next]);
    await (await this.handle?.catch(() => undefined))?.close();
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
