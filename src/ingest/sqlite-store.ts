/**
 * The embedded engine: one SQLite file (better-sqlite3) in WAL mode. A write resolves only once
 * its commit is on disk: the WAL is fdatasynced after the commit, as synchronous=FULL would do
 * inside it, but off the event loop (wal-sync.ts).
 *
 * better-sqlite3 is synchronous, so appends that arrive together are committed in one transaction
 * (group commit): a flood costs one sync per batch instead of one per event. Several processes may
 * share the file; SQLite's write lock serialises their transactions (busy_timeout waits for it).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { IngestEvent } from './event.js';
import { SqliteBackground } from './sqlite-background.js';
import { WalFill } from './wal-fill.js';
import { WalSync } from './wal-sync.js';
import {
  defaultRetention,
  hourOf,
  type AppendResult,
  type EventQuery,
  type HourCount,
  type Issue,
  type IssueQuery,
  type IssueStatus,
  type ProjectKeyRecord,
  type RetentionPolicy,
  type Store,
  type StoreOptions,
  type StoredEvent,
  type Totals,
  type UploadedMap,
} from './store.js';
import { duplicateResult, issueColumns, issueFromRow, sourceMapsTable, upsertIssueSql, type IssueRow } from './store-sql.js';

const schema = `
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS issues (
  id INTEGER PRIMARY KEY,
  project_key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  type TEXT NOT NULL,
  message TEXT NOT NULL,
  level TEXT NOT NULL,
  count INTEGER NOT NULL,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open',
  regression INTEGER NOT NULL DEFAULT 0,
  reopened_at_count INTEGER NOT NULL DEFAULT 0,
  UNIQUE (project_key, fingerprint)
);
CREATE INDEX IF NOT EXISTS issues_last_seen ON issues (last_seen);
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL UNIQUE,
  issue_id INTEGER NOT NULL,
  position INTEGER NOT NULL,
  received_at TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_issue_seq ON events (issue_id, seq);
CREATE INDEX IF NOT EXISTS events_issue_position ON events (issue_id, position);
CREATE INDEX IF NOT EXISTS events_received ON events (received_at);
CREATE TABLE IF NOT EXISTS issue_hours (
  issue_id INTEGER NOT NULL,
  hour INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (issue_id, hour)
) WITHOUT ROWID;
${sourceMapsTable}
CREATE TABLE IF NOT EXISTS project_keys (
  key TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
`;

/**
 * The events and groups in the file, kept by triggers in the transactions that change them, so a
 * start message or /health reads one row instead of counting a million (40 ms at 1M), whoever
 * wrote the rows. A file from before the counters is counted once, when it is opened.
 */
const counters = `
CREATE TABLE IF NOT EXISTS totals (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT INTO totals (name, value) SELECT 'events', (SELECT count(*) FROM events) WHERE NOT EXISTS (SELECT 1 FROM totals WHERE name = 'events');
INSERT INTO totals (name, value) SELECT 'groups', (SELECT count(*) FROM issues) WHERE NOT EXISTS (SELECT 1 FROM totals WHERE name = 'groups');
CREATE TRIGGER IF NOT EXISTS events_counted AFTER INSERT ON events BEGIN UPDATE totals SET value = value + 1 WHERE name = 'events'; END;
CREATE TRIGGER IF NOT EXISTS events_uncounted AFTER DELETE ON events BEGIN UPDATE totals SET value = value - 1 WHERE name = 'events'; END;
CREATE TRIGGER IF NOT EXISTS groups_counted AFTER INSERT ON issues BEGIN UPDATE totals SET value = value + 1 WHERE name = 'groups'; END;
CREATE TRIGGER IF NOT EXISTS groups_uncounted AFTER DELETE ON issues BEGIN UPDATE totals SET value = value - 1 WHERE name = 'groups'; END;
`;

interface Pending {
  event: IngestEvent;
  receivedAt: Date;
  /** The event's JSON as received, when it is exactly `event`. */
  json: string | undefined;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

/** What a batch's events add up to, written once per issue at the end of its transaction. */
interface BatchTally {
  hours: Map<string, { issueId: number; hour: number; count: number }>;
  /** Each issue's count after its last event in the batch. */
  latestCounts: Map<number, number>;
}

/** Errors after which the file may be unwritable until someone acts (a full disk, an I/O error). */
const fatalCodes = /^SQLITE_(FULL|IOERR|CORRUPT|NOTADB|READONLY|CANTOPEN)/;
const maxBatch = 1000;
/** SQLite's own default: a checkpoint once the WAL holds 1,000 pages. */
const checkpointWalBytes = 1000 * 4096;

export class SqliteStore implements Store {
  readonly engine = 'sqlite' as const;
  private queue: Pending[] = [];
  private scheduled = false;
  /** A batch's sync is running: new appends wait for it (group commit). */
  private syncing = false;
  /** The second thread is checkpointing: new appends wait for it. */
  private checkpointing = false;
  private failure: Error | undefined;
  private closed = false;
  private readonly statements;
  private readonly commitBatch: (batch: Pending[]) => AppendResult[];
  private readonly wal: WalSync;
  private readonly walFill: WalFill;
  private readonly background: SqliteBackground;

  private constructor(
    readonly location: string,
    private readonly db: Database.Database,
    private readonly retention: RetentionPolicy,
  ) {
    this.wal = new WalSync(`${location}-wal`);
    this.walFill = new WalFill(`${location}-shm`, db.pragma('page_size', { simple: true }) as number);
    this.background = new SqliteBackground(location);
    const prepare = (sql: string) => db.prepare(sql);
    this.statements = {
      existing: prepare(
        'SELECT e.issue_id, e.position, i.count, i.fingerprint FROM events e JOIN issues i ON i.id = e.issue_id WHERE e.event_id = ?',
      ),
      upsertIssue: prepare(upsertIssueSql),
      insertEvent: prepare('INSERT INTO events (event_id, issue_id, position, received_at, body) VALUES (?, ?, ?, ?, ?)'),
      countHours: prepare(
        'INSERT INTO issue_hours (issue_id, hour, count) VALUES (?, ?, ?) ON CONFLICT (issue_id, hour) DO UPDATE SET count = count + excluded.count',
      ),
      trim: prepare('DELETE FROM events WHERE issue_id = ? AND position > ? AND position <= ?'),
    };
    this.commitBatch = db.transaction((batch: Pending[]) => {
      // The hourly counts and the retention trim of a batch go in with one statement per issue
      // (and hour), not one per event: a flood of one error is one of each.
      const tally: BatchTally = { hours: new Map(), latestCounts: new Map() };
      const results = batch.map((pending) => this.insert(pending, tally));
      for (const { issueId, hour, count } of tally.hours.values()) this.statements.countHours.run(issueId, hour, count);
      const { keepFirst, keepLatest } = this.retention;
      for (const [issueId, count] of tally.latestCounts) {
        if (count > keepFirst + keepLatest) this.statements.trim.run(issueId, keepFirst, count - keepLatest);
      }
      return results;
    }).immediate;
  }

  static async open(path: string, options: StoreOptions = {}): Promise<SqliteStore> {
    mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path, { timeout: 10_000 });
    try {
      db.pragma('journal_mode = WAL');
      // Commits are synced by WalSync, after them and off the event loop; NORMAL keeps SQLite's
      // own syncs around checkpoints.
      db.pragma('synchronous = NORMAL');
      // Checkpoints run on the second thread (checkpointIfGrown); this connection checkpoints
      // only if they fall far behind (another process writing all the time).
      db.pragma('wal_autocheckpoint = 10000');
      // The WAL starts over from its beginning at the first commit after a complete checkpoint,
      // without being cut (wal-fill.ts), unless a large batch grew it past twice its usual size.
      db.pragma(`journal_size_limit = ${2 * checkpointWalBytes}`);
      // One transaction: a second process opening the file meanwhile waits, and never sees the
      // counters without their triggers.
      db.transaction(() => db.exec(schema + counters)).immediate();
    } catch (error) {
      db.close();
      throw error;
    }
    return new SqliteStore(path, db, options.retention ?? defaultRetention);
  }

  private readonly prepared = new Map<string, Database.Statement>();

  /** Each SQL text is compiled once (a read of many pages runs the same few queries over and over). */
  private cached(sql: string): Database.Statement {
    let statement = this.prepared.get(sql);
    if (!statement) this.prepared.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }

  get failed(): Error | undefined {
    return this.failure;
  }

  append(event: IngestEvent, receivedAt = new Date(), json?: string): Promise<AppendResult> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error('the event store is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ event, receivedAt, json, resolve, reject });
      this.schedule();
    });
  }

  /**
   * Group commit: while a batch's sync runs, the appends that arrive wait for it and then go in
   * one transaction with one sync. A commit made during the sync would wait for the next sync all
   * the same, so waiting costs them nothing, and a flood is committed in few large transactions
   * (each commit writes every page it touched: large batches share index pages).
   */
  private schedule(): void {
    if (this.scheduled || this.syncing || this.checkpointing) return;
    this.scheduled = true;
    // Let the appends of this turn of the event loop join the same transaction.
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const committed: { batch: Pending[]; results: AppendResult[] }[] = [];
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, maxBatch);
      try {
        if (this.failure) throw this.failure;
        committed.push({ batch, results: this.commitBatch(batch) });
      } catch (error) {
        const failure = this.classify(error);
        batch.forEach((pending) => pending.reject(failure));
      }
    }
    if (committed.length === 0) return;
    this.syncing = true;
    this.durable()
      .then(
        () => committed.forEach(({ batch, results }) => batch.forEach((pending, i) => pending.resolve(results[i]!))),
        (failure: unknown) => committed.forEach(({ batch }) => batch.forEach((pending) => pending.reject(failure))),
      )
      .finally(() => {
        this.syncing = false;
        this.checkpointIfGrown();
        if (this.queue.length > 0) this.schedule();
      });
  }

  /**
   * Once the WAL has grown past SQLite's usual checkpoint size, it is copied into the database on
   * the second thread, and appends wait meanwhile as they do for a sync: a checkpoint that runs
   * beside commits never takes the whole WAL, and the WAL would grow without end.
   */
  private checkpointIfGrown(): void {
    if (this.checkpointing || this.closed || this.walFill.bytes() < checkpointWalBytes) return;
    this.checkpointing = true;
    this.background
      .checkpoint()
      // Tried again after the next commit; a file that cannot be checkpointed (a full disk) fails
      // this connection's own fallback checkpoint too, and that is reported.
      .catch(() => {})
      .finally(() => {
        this.checkpointing = false;
        if (this.queue.length > 0) this.schedule();
      });
  }

  /**
   * Resolves once every commit so far is on disk. A failed sync stops all writes: after it the
   * kernel may have dropped the unsynced pages, so nothing since the last good sync is known safe.
   */
  private async durable(): Promise<void> {
    try {
      await this.wal.durable();
    } catch (error) {
      this.failure ??= new Error(
        `syncing ${this.location} failed (${(error as Error).message}); new events are refused until the ingest restarts`,
        { cause: error },
      );
      throw this.failure;
    }
  }

  /** A full disk or an I/O error stops further appends until restart; a busy lock fails only this batch. */
  private classify(error: unknown): Error {
    const code = (error as { code?: string }).code ?? '';
    if (!fatalCodes.test(code)) return error instanceof Error ? error : new Error(String(error));
    this.failure ??= new Error(
      `writing ${this.location} failed (${code}: ${(error as Error).message}); new events are refused until the ingest restarts`,
      { cause: error },
    );
    return this.failure;
  }

  private insert({ event, receivedAt, json }: Pending, { hours, latestCounts }: BatchTally): AppendResult {
    const known = this.statements.existing.get(event.event_id) as
      | { issue_id: number; position: number; count: number; fingerprint: string }
      | undefined;
    if (known) return duplicateResult(event.event_id, known);
    const at = receivedAt.toISOString();
    const issue = this.statements.upsertIssue.get(
      event.project_key, event.fingerprint, event.type, event.message, event.level, at, at,
    ) as { id: number; count: number; reopened_at_count: number };
    this.statements.insertEvent.run(event.event_id, issue.id, issue.count, at, json ?? JSON.stringify(event));
    const hour = hourOf(receivedAt);
    const counted = hours.get(`${issue.id} ${hour}`);
    if (counted) counted.count++;
    else hours.set(`${issue.id} ${hour}`, { issueId: issue.id, hour, count: 1 });
    latestCounts.set(issue.id, issue.count);
    return {
      id: event.event_id,
      fingerprint: event.fingerprint,
      issueId: issue.id,
      newGroup: issue.count === 1,
      duplicate: false,
      groupCount: issue.count,
      regression: issue.reopened_at_count === issue.count,
    };
  }

  async totals(): Promise<Totals> {
    const row = this.cached(
      "SELECT (SELECT value FROM totals WHERE name = 'events') AS events, (SELECT value FROM totals WHERE name = 'groups') AS groups",
    ).get() as Totals;
    return { events: row.events, groups: row.groups };
  }

  async listEvents({ fingerprint, issueId, limit, before }: EventQuery): Promise<StoredEvent[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (issueId !== undefined) {
      where.push('issue_id = ?');
      params.push(issueId);
    }
    if (fingerprint !== undefined) {
      where.push('issue_id IN (SELECT id FROM issues WHERE fingerprint = ?)');
      params.push(fingerprint);
    }
    if (before !== undefined) {
      where.push('seq < ?');
      params.push(before);
    }
    // As a BLOB: better-sqlite3 hands the bytes over as a Buffer, without making a string of them.
    const sql = `SELECT seq, issue_id, received_at, CAST(body AS BLOB) AS body FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
    // On the second thread: a large read never holds up the ingest's.
    return this.background.readEvents(sql, [...params, limit]);
  }

  async listIssues({ status, limit, offset = 0 }: IssueQuery): Promise<Issue[]> {
    const filter = status === undefined ? '' : 'WHERE status = ?';
    const sql = `SELECT ${issueColumns} FROM issues ${filter} ORDER BY last_seen DESC, id DESC LIMIT ? OFFSET ?`;
    const params = status === undefined ? [limit, offset] : [status, limit, offset];
    return (this.cached(sql).all(...params) as IssueRow[]).map(issueFromRow);
  }

  async getIssue(id: number): Promise<Issue | undefined> {
    const row = this.cached(`SELECT ${issueColumns} FROM issues WHERE id = ?`).get(id) as IssueRow | undefined;
    return row && issueFromRow(row);
  }

  async issueHistogram(ids: number[], hours: number, now = new Date()): Promise<Map<number, HourCount[]>> {
    const histogram = new Map<number, HourCount[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return histogram;
    const since = hourOf(now) - hours + 1;
    const rows = this.db
      .prepare(`SELECT issue_id, hour, count FROM issue_hours WHERE hour >= ? AND issue_id IN (${ids.map(() => '?').join(',')}) ORDER BY hour`)
      .all(since, ...ids) as { issue_id: number; hour: number; count: number }[];
    for (const row of rows) histogram.get(row.issue_id)?.push({ hour: row.hour, count: row.count });
    return histogram;
  }

  async setIssueStatus(id: number, status: IssueStatus): Promise<Issue | undefined> {
    const row = this.cached(
      `UPDATE issues SET status = ?, regression = CASE WHEN ? = 'resolved' THEN 0 ELSE regression END WHERE id = ? RETURNING ${issueColumns}`,
    ).get(status, status, id) as IssueRow | undefined;
    await this.durable();
    return row && issueFromRow(row);
  }

  async pruneOld(now = new Date()): Promise<number> {
    if (this.retention.retainDays === undefined) return 0;
    const cutoff = new Date(now.getTime() - this.retention.retainDays * 86_400_000).toISOString();
    const prune = this.db.transaction(() => {
      const removed = this.cached('DELETE FROM events WHERE received_at < ?').run(cutoff).changes;
      this.cached('DELETE FROM issue_hours WHERE hour < ?').run(hourOf(new Date(cutoff)));
      this.cached('DELETE FROM issues WHERE last_seen < ?').run(cutoff);
      return removed;
    });
    const removed = prune.immediate();
    await this.durable();
    return removed;
  }

  async addKey(key: string, name: string): Promise<ProjectKeyRecord> {
    const createdAt = new Date().toISOString();
    this.cached('INSERT INTO project_keys (key, name, created_at) VALUES (?, ?, ?)').run(key, name, createdAt);
    await this.durable();
    return { key, name, createdAt, revokedAt: null };
  }

  async listKeys(): Promise<ProjectKeyRecord[]> {
    const rows = this.cached('SELECT key, name, created_at, revoked_at FROM project_keys ORDER BY created_at, key').all() as {
      key: string;
      name: string;
      created_at: string;
      revoked_at: string | null;
    }[];
    return rows.map((row) => ({ key: row.key, name: row.name, createdAt: row.created_at, revokedAt: row.revoked_at }));
  }

  async revokeKey(key: string): Promise<boolean> {
    const revoked = new Date().toISOString();
    const changed = this.cached('UPDATE project_keys SET revoked_at = coalesce(revoked_at, ?) WHERE key = ?').run(revoked, key).changes;
    await this.durable();
    return changed > 0;
  }

  async isKeyActive(key: string): Promise<boolean> {
    return this.cached('SELECT 1 FROM project_keys WHERE key = ? AND revoked_at IS NULL').get(key) !== undefined;
  }

  async replaceSourceMaps(projectKey: string, release: string, maps: UploadedMap[]): Promise<void> {
    const uploadedAt = new Date().toISOString();
    const replace = this.db.transaction(() => {
      this.cached('DELETE FROM source_maps WHERE project_key = ? AND release = ?').run(projectKey, release);
      const insert = this.cached('INSERT INTO source_maps (project_key, release, file, path, map, uploaded_at) VALUES (?, ?, ?, ?, ?, ?)');
      for (const { file, path, map } of maps) insert.run(projectKey, release, file, path, map, uploadedAt);
    });
    replace.immediate();
    await this.durable();
  }

  async getSourceMap(projectKey: string, release: string, file: string): Promise<UploadedMap | undefined> {
    return this.cached('SELECT file, path, map FROM source_maps WHERE project_key = ? AND release = ? AND file = ?').get(projectKey, release, file) as
      | UploadedMap
      | undefined;
  }

  async getMeta(name: string): Promise<string | undefined> {
    return (this.cached('SELECT value FROM meta WHERE name = ?').get(name) as { value: string } | undefined)?.value;
  }

  async setMeta(name: string, value: string): Promise<void> {
    this.cached('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value').run(name, value);
    await this.durable();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.flush();
    // Acknowledgements still waiting for their sync get it before the file is closed.
    await this.wal.close();
    this.walFill.close();
    await this.background.close();
    this.db.close();
  }
}
