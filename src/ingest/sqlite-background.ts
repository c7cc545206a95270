/**
 * The ingest thread's side of sqlite-worker.mjs, the SQLite store's second thread: reads of stored
 * events and checkpoints run there, on a connection of their own, so the event loop never stops
 * for a large read or a checkpoint's syncs. Started on first use (a start or `ez-pixel keys` never
 * waits for it); it keeps the process alive only while a request is pending.
 */
import { Worker } from 'node:worker_threads';
import type { StoredEvent } from './store.js';

interface Reply {
  id: number;
  error?: string;
  code?: string;
  seqs: number[];
  issueIds: number[];
  receivedAts: string[];
  lengths: number[];
  bytes: Uint8Array;
}

interface PendingRequest {
  resolve: (reply: Reply) => void;
  reject: (error: Error) => void;
}

export class SqliteBackground {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, PendingRequest>();
  private nextId = 0;
  private closed = false;

  constructor(private readonly path: string) {}

  /** Runs a SELECT of (seq, issue_id, received_at, body as a BLOB) on the second thread. */
  async readEvents(sql: string, params: unknown[]): Promise<StoredEvent[]> {
    const reply = await this.request({ sql, params });
    let offset = 0;
    return reply.lengths.map((length, i) => {
      // Views of the one transferred buffer: nothing is copied again.
      const json = Buffer.from(reply.bytes.buffer, reply.bytes.byteOffset + offset, length);
      // Each body is followed by a comma (sqlite-worker.mjs).
      offset += length + 1;
      return { seq: reply.seqs[i]!, issueId: reply.issueIds[i]!, receivedAt: reply.receivedAts[i]!, json };
    });
  }

  /** Copies the WAL into the database on the second thread; resolves when it is done. */
  async checkpoint(): Promise<void> {
    await this.request({ checkpoint: true });
  }

  private request(message: object): Promise<Reply> {
    if (this.closed) return Promise.reject(new Error('the event store is closed'));
    const worker = this.started();
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ ...message, id });
    });
  }

  /** Closes the second connection first, so the main one is the last and removes the WAL. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.postMessage({ close: true });
    await exited;
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./sqlite-worker.mjs', import.meta.url), { workerData: { path: this.path } });
    worker.unref();
    let failure: Error | undefined;
    worker.on('message', (reply: Reply) => this.answer(worker, reply));
    worker.on('error', (error) => (failure = error));
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
      // A thread that failed is started again by the next read.
      const error = new Error(`the store's reader thread stopped${failure ? `: ${failure.message}` : ''}`, { cause: failure });
      for (const request of this.pending.values()) request.reject(error);
      this.pending.clear();
    });
    return (this.worker = worker);
  }

  private answer(worker: Worker, reply: Reply): void {
    const request = this.pending.get(reply.id);
    if (!request) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) worker.unref();
    if (reply.error !== undefined) request.reject(Object.assign(new Error(reply.error), { code: reply.code }));
    else request.resolve(reply);
  }
}
