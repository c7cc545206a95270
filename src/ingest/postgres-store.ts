/**
 * The PostgreSQL engine (node-postgres), for `serve` with several processes on one database.
 *
 * Each append is one transaction: the issue upsert locks the issue's row, so concurrent events of
 * one issue get consecutive counts, and the unique event_id makes a concurrent copy of an event
 * roll back instead of counting twice. A commit waits for the WAL flush (synchronous_commit=on).
 */
import pg from 'pg';
import type { IngestEvent } from './event.js';
import { duplicateResult, issueColumns, issueFromRow, sourceMapsTable, upsertIssueSql } from './store-sql.js';
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
  redactPassword,
} from './store.js';

const schema = `
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS issues (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  project_key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  type TEXT NOT NULL,
  message TEXT NOT NULL,
  level TEXT NOT NULL,
  count BIGINT NOT NULL,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open',
  regression INTEGER NOT NULL DEFAULT 0,
  reopened_at_count BIGINT NOT NULL DEFAULT 0,
  UNIQUE (project_key, fingerprint)
);
CREATE INDEX IF NOT EXISTS issues_last_seen ON issues (last_seen);
CREATE TABLE IF NOT EXISTS events (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id TEXT NOT NULL UNIQUE,
  issue_id BIGINT NOT NULL,
  position BIGINT NOT NULL,
  received_at TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_issue_seq ON events (issue_id, seq);
CREATE INDEX IF NOT EXISTS events_issue_position ON events (issue_id, position);
CREATE INDEX IF NOT EXISTS events_received ON events (received_at);
CREATE TABLE IF NOT EXISTS issue_hours (
  issue_id BIGINT NOT NULL,
  hour BIGINT NOT NULL,
  count BIGINT NOT NULL,
  PRIMARY KEY (issue_id, hour)
);
${sourceMapsTable}
CREATE TABLE IF NOT EXISTS project_keys (
  key TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
`;

/**
 * The events and groups in the database, kept by triggers in the transactions that change them (as
 * on SQLite), so /health and a start line read a few rows instead of counting every event. Each
 * connection (backend) adds to a row of its own: one shared row would make every append of every
 * process wait for the last one's commit. Statement-level triggers: a trim that deletes 30 rows
 * is one update. A database from before the counters is counted once, with writes locked out
 * meanwhile, and the rows of connections that have ended are folded into row 0 at each start.
 */
const counters = `
CREATE TABLE IF NOT EXISTS totals (backend INTEGER PRIMARY KEY, events BIGINT NOT NULL DEFAULT 0, groups BIGINT NOT NULL DEFAULT 0);
CREATE OR REPLACE FUNCTION ez_pixel_count() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  n BIGINT;
BEGIN
  SELECT count(*) INTO n FROM changed;
  IF n = 0 THEN RETURN NULL; END IF;
  IF TG_OP = 'DELETE' THEN n := -n; END IF;
  IF TG_TABLE_NAME = 'events' THEN
    INSERT INTO totals (backend, events) VALUES (pg_backend_pid(), n)
    ON CONFLICT (backend) DO UPDATE SET events = totals.events + excluded.events;
  ELSE
    INSERT INTO totals (backend, groups) VALUES (pg_backend_pid(), n)
    ON CONFLICT (backend) DO UPDATE SET groups = totals.groups + excluded.groups;
  END IF;
  RETURN NULL;
END $$;
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'events'::regclass AND tgname = 'events_counted') THEN
    LOCK TABLE events, issues IN SHARE ROW EXCLUSIVE MODE;
    DELETE FROM totals;
    INSERT INTO totals (backend, events, groups) VALUES (0, (SELECT count(*) FROM events), (SELECT count(*) FROM issues));
    CREATE TRIGGER events_counted AFTER INSERT ON events REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ez_pixel_count();
    CREATE TRIGGER events_uncounted AFTER DELETE ON events REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ez_pixel_count();
    CREATE TRIGGER groups_counted AFTER INSERT ON issues REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ez_pixel_count();
    CREATE TRIGGER groups_uncounted AFTER DELETE ON issues REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ez_pixel_count();
  END IF;
END $$;
WITH ended AS (
  DELETE FROM totals WHERE backend <> 0 AND backend NOT IN (SELECT pid FROM pg_stat_activity) RETURNING events, groups
)
UPDATE totals SET events = totals.events + (SELECT coalesce(sum(events), 0) FROM ended), groups = totals.groups + (SELECT coalesce(sum(groups), 0) FROM ended)
WHERE backend = 0;
`;

/** Any constant works: it only makes concurrent first starts create the schema one at a time. */
const schemaLockId = 0x657a7078;

/** `?` placeholders (the SQLite spelling of the shared statements) become `$1, $2, …`. */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

const sql = {
  existing:
    'SELECT e.issue_id, e.position, i.count, i.fingerprint FROM events e JOIN issues i ON i.id = e.issue_id WHERE e.event_id = $1',
  upsertIssue: numbered(upsertIssueSql),
  insertEvent:
    'INSERT INTO events (event_id, issue_id, position, received_at, body) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (event_id) DO NOTHING RETURNING seq',
  countHour:
    'INSERT INTO issue_hours (issue_id, hour, count) VALUES ($1, $2, 1) ON CONFLICT (issue_id, hour) DO UPDATE SET count = issue_hours.count + 1',
  trim: 'DELETE FROM events WHERE issue_id = $1 AND position > $2 AND position <= $3',
};

export class PostgresStore implements Store {
  readonly engine = 'postgres' as const;
  readonly failed = undefined;
  private closed = false;

  private constructor(
    readonly location: string,
    private readonly pool: pg.Pool,
    private readonly retention: RetentionPolicy,
  ) {}

  static async open(url: string, options: StoreOptions = {}): Promise<PostgresStore> {
    const pool = new pg.Pool({ connectionString: withDurableCommits(url), max: 8 });
    // An idle connection the server drops must not crash the process; the next query reconnects.
    pool.on('error', () => {});
    try {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock($1)', [schemaLockId]);
        await client.query(schema + counters);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresStore(redactPassword(url), pool, options.retention ?? defaultRetention);
  }

  async append(event: IngestEvent, receivedAt = new Date(), json?: string): Promise<AppendResult> {
    if (this.closed) throw new Error('the event store is closed');
    const stored = (await this.existing(event.event_id)) ?? (await this.insert(event, receivedAt, json ?? JSON.stringify(event)));
    // Another transaction stored this event_id first (insert rolled back): answer as a retry.
    return stored ?? (await this.existing(event.event_id))!;
  }

  /** One transaction; undefined when the event_id turned out to be taken (its count is undone). */
  private async insert(event: IngestEvent, receivedAt: Date, json: string): Promise<AppendResult | undefined> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const at = receivedAt.toISOString();
      const issue = (
        await client.query(sql.upsertIssue, [event.project_key, event.fingerprint, event.type, event.message, event.level, at, at])
      ).rows[0] as { id: string; count: string; reopened_at_count: string };
      const [issueId, count] = [Number(issue.id), Number(issue.count)];
      const inserted = await client.query(sql.insertEvent, [event.event_id, issueId, count, at, json]);
      if (inserted.rowCount === 0) {
        await client.query('ROLLBACK');
        return undefined;
      }
      await client.query(sql.countHour, [issueId, hourOf(receivedAt)]);
      const { keepFirst, keepLatest } = this.retention;
      if (count > keepFirst + keepLatest) await client.query(sql.trim, [issueId, keepFirst, count - keepLatest]);
      await client.query('COMMIT');
      return {
        id: event.event_id,
        fingerprint: event.fingerprint,
        issueId,
        newGroup: count === 1,
        duplicate: false,
        groupCount: count,
        regression: Number(issue.reopened_at_count) === count,
      };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  private async existing(eventId: string): Promise<AppendResult | undefined> {
    const row = (await this.pool.query(sql.existing, [eventId])).rows[0];
    return row && duplicateResult(eventId, row);
  }

  async totals(): Promise<Totals> {
    const row = (await this.pool.query('SELECT coalesce(sum(events), 0) AS events, coalesce(sum(groups), 0) AS groups FROM totals')).rows[0];
    return { events: Number(row.events), groups: Number(row.groups) };
  }

  async listEvents({ fingerprint, issueId, limit, before }: EventQuery): Promise<StoredEvent[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (issueId !== undefined) where.push(`issue_id = ${param(issueId)}`);
    if (fingerprint !== undefined) where.push(`issue_id IN (SELECT id FROM issues WHERE fingerprint = ${param(fingerprint)})`);
    if (before !== undefined) where.push(`seq < ${param(before)}`);
    const text = `SELECT seq, issue_id, received_at, body FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ${param(limit)}`;
    const { rows } = await this.pool.query(text, params);
    return rows.map((row) => ({ seq: Number(row.seq), issueId: Number(row.issue_id), receivedAt: row.received_at, json: Buffer.from(row.body as string) }));
  }

  async listIssues({ status, limit, offset = 0 }: IssueQuery): Promise<Issue[]> {
    const { rows } =
      status === undefined
        ? await this.pool.query(`SELECT ${issueColumns} FROM issues ORDER BY last_seen DESC, id DESC LIMIT $1 OFFSET $2`, [limit, offset])
        : await this.pool.query(`SELECT ${issueColumns} FROM issues WHERE status = $1 ORDER BY last_seen DESC, id DESC LIMIT $2 OFFSET $3`, [
            status,
            limit,
            offset,
          ]);
    return rows.map(issueFromRow);
  }

  async getIssue(id: number): Promise<Issue | undefined> {
    const row = (await this.pool.query(`SELECT ${issueColumns} FROM issues WHERE id = $1`, [id])).rows[0];
    return row && issueFromRow(row);
  }

  async issueHistogram(ids: number[], hours: number, now = new Date()): Promise<Map<number, HourCount[]>> {
    const histogram = new Map<number, HourCount[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return histogram;
    const { rows } = await this.pool.query(
      'SELECT issue_id, hour, count FROM issue_hours WHERE hour >= $1 AND issue_id = ANY($2::bigint[]) ORDER BY hour',
      [hourOf(now) - hours + 1, ids],
    );
    for (const row of rows) histogram.get(Number(row.issue_id))?.push({ hour: Number(row.hour), count: Number(row.count) });
    return histogram;
  }

  async setIssueStatus(id: number, status: IssueStatus): Promise<Issue | undefined> {
    const row = (
      await this.pool.query(
        `UPDATE issues SET status = $1, regression = CASE WHEN $1 = 'resolved' THEN 0 ELSE regression END WHERE id = $2 RETURNING ${issueColumns}`,
        [status, id],
      )
    ).rows[0];
    return row && issueFromRow(row);
  }

  async pruneOld(now = new Date()): Promise<number> {
    if (this.retention.retainDays === undefined) return 0;
    const cutoff = new Date(now.getTime() - this.retention.retainDays * 86_400_000);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const removed = await client.query('DELETE FROM events WHERE received_at < $1', [cutoff.toISOString()]);
      await client.query('DELETE FROM issue_hours WHERE hour < $1', [hourOf(cutoff)]);
      await client.query('DELETE FROM issues WHERE last_seen < $1', [cutoff.toISOString()]);
      await client.query('COMMIT');
      return removed.rowCount ?? 0;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async addKey(key: string, name: string): Promise<ProjectKeyRecord> {
    const createdAt = new Date().toISOString();
    await this.pool.query('INSERT INTO project_keys (key, name, created_at) VALUES ($1, $2, $3)', [key, name, createdAt]);
    return { key, name, createdAt, revokedAt: null };
  }

  async listKeys(): Promise<ProjectKeyRecord[]> {
    const { rows } = await this.pool.query('SELECT key, name, created_at, revoked_at FROM project_keys ORDER BY created_at, key');
    return rows.map((row) => ({ key: row.key, name: row.name, createdAt: row.created_at, revokedAt: row.revoked_at }));
  }

  async revokeKey(key: string): Promise<boolean> {
    const result = await this.pool.query('UPDATE project_keys SET revoked_at = coalesce(revoked_at, $1) WHERE key = $2', [
      new Date().toISOString(),
      key,
    ]);
    return (result.rowCount ?? 0) > 0;
  }

  async isKeyActive(key: string): Promise<boolean> {
    return ((await this.pool.query('SELECT 1 FROM project_keys WHERE key = $1 AND revoked_at IS NULL', [key])).rowCount ?? 0) > 0;
  }

  async replaceSourceMaps(projectKey: string, release: string, maps: UploadedMap[]): Promise<void> {
    const uploadedAt = new Date().toISOString();
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('DELETE FROM source_maps WHERE project_key = $1 AND release = $2', [projectKey, release]);
      for (const { file, path, map } of maps) {
        await client.query('INSERT INTO source_maps (project_key, release, file, path, map, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6)', [
          projectKey, release, file, path, map, uploadedAt,
        ]);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async getSourceMap(projectKey: string, release: string, file: string): Promise<UploadedMap | undefined> {
    const { rows } = await this.pool.query('SELECT file, path, map FROM source_maps WHERE project_key = $1 AND release = $2 AND file = $3', [
      projectKey, release, file,
    ]);
    return rows[0] as UploadedMap | undefined;
  }

  async getMeta(name: string): Promise<string | undefined> {
    return (await this.pool.query('SELECT value FROM meta WHERE name = $1', [name])).rows[0]?.value;
  }

  async setMeta(name: string, value: string): Promise<void> {
    await this.pool.query('INSERT INTO meta (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value', [name, value]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

/**
 * Acknowledged means durable, whatever the server's default: every connection's commits wait for
 * the WAL flush. Added to the URL's own `options` (which would otherwise replace a pool option).
 */
function withDurableCommits(url: string): string {
  const parsed = new URL(url);
  const options = [parsed.searchParams.get('options'), '-c synchronous_commit=on'].filter(Boolean).join(' ');
  parsed.searchParams.set('options', options);
  return parsed.toString();
}
