/**
 * The Store: everything the ingest keeps, behind one interface with two engines (sqlite-store.ts,
 * postgres-store.ts) that pass one contract suite (test/store-contract.ts).
 *
 * The database is the truth: it dedupes on a unique event_id and groups with an upsert on
 * (project key, fingerprint), so several processes on one database stay correct. An append
 * resolves only once its transaction is committed with a full sync.
 */
import type { IngestEvent } from './event.js';

export interface AppendResult {
  id: string;
  fingerprint: string;
  /** The issue (group) this event belongs to. */
  issueId: number;
  newGroup: boolean;
  /** The event_id was already stored; nothing was written. */
  duplicate: boolean;
  /** The issue's size when this event joined it (a retry: its size now). */
  groupCount: number;
  /** This event reopened a resolved issue. */
  regression: boolean;
}

export const issueStatuses = ['open', 'resolved', 'ignored'] as const;
export type IssueStatus = (typeof issueStatuses)[number];

/** A group of events with one (project key, fingerprint). Times are ISO 8601 UTC, as received. */
export interface Issue {
  id: number;
  projectKey: string;
  fingerprint: string;
  type: string;
  message: string;
  level: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
  status: IssueStatus;
  /** A resolved issue that recurred (set when it reopens, cleared when it is resolved again). */
  regression: boolean;
}

export interface IssueQuery {
  status?: IssueStatus;
  limit: number;
  offset?: number;
}

/** Events newest first; `before` is a cursor (an event's `seq`) for the next page. */
export interface EventQuery {
  fingerprint?: string;
  issueId?: number;
  limit: number;
  before?: number;
}

/** A stored event as the UTF-8 bytes of its compact JSON, so a read never decodes or re-encodes it. */
export interface StoredEvent {
  seq: number;
  issueId: number;
  receivedAt: string;
  json: Buffer;
}

/** Keep the first `keepFirst` and the latest `keepLatest` events of each issue, and nothing older than `retainDays`. */
export interface RetentionPolicy {
  keepFirst: number;
  keepLatest: number;
  retainDays?: number;
}

export const defaultRetention: RetentionPolicy = { keepFirst: 10, keepLatest: 200 };

/** Hourly occurrence counts of one issue, oldest first (`hour` is Unix time / 3600). */
export interface HourCount {
  hour: number;
  count: number;
}

export interface ProjectKeyRecord {
  key: string;
  name: string;
  createdAt: string;
  revokedAt: string | null;
}

/** One build script's source map, uploaded for a release (`ez-pixel sourcemaps upload`). */
export interface UploadedMap {
  /** The script's URL path as a browser frame names it: `assets/index-4f1c2a.js`. */
  file: string;
  /** Where the map lay, relative to the project root (`dist/assets/index-4f1c2a.js.map`): its sources resolve against it. */
  path: string;
  /** The map's JSON text, as the bundler wrote it. */
  map: string;
}

export interface Totals {
  events: number;
  groups: number;
}

export interface Store {
  readonly engine: 'sqlite' | 'postgres';
  /** The file or the URL without its password, for messages. */
  readonly location: string;
  /** Set once a commit failed for a reason a retry will not fix (a full disk, an I/O error). */
  readonly failed: Error | undefined;

  /**
   * Stores the event once per event_id, in its issue, and resolves when the commit is synced.
   * `json`, when given, is the event's JSON text exactly as parsed into `event` (stored instead of
   * encoding the event again).
   */
  append(event: IngestEvent, receivedAt?: Date, json?: string): Promise<AppendResult>;
  totals(): Promise<Totals>;
  listEvents(query: EventQuery): Promise<StoredEvent[]>;
  listIssues(query: IssueQuery): Promise<Issue[]>;
  getIssue(id: number): Promise<Issue | undefined>;
  /** Occurrences per hour over the last `hours` hours (for the sparkline). */
  issueHistogram(ids: number[], hours: number, now?: Date): Promise<Map<number, HourCount[]>>;
  /** Resolving clears the regression mark; returns undefined for an unknown issue. */
  setIssueStatus(id: number, status: IssueStatus): Promise<Issue | undefined>;
  /** Applies --retain-days now (the per-issue limits are applied on every append); returns events removed. */
  pruneOld(now?: Date): Promise<number>;

  addKey(key: string, name: string): Promise<ProjectKeyRecord>;
  listKeys(): Promise<ProjectKeyRecord[]>;
  /** Returns false when no such key exists. */
  revokeKey(key: string): Promise<boolean>;
  isKeyActive(key: string): Promise<boolean>;

  /** Stores a release's maps in place of any uploaded for it before, in one transaction. */
  replaceSourceMaps(projectKey: string, release: string, maps: UploadedMap[]): Promise<void>;
  /** The map uploaded for the script `file` of a release, or undefined. */
  getSourceMap(projectKey: string, release: string, file: string): Promise<UploadedMap | undefined>;

  /** A value kept across restarts (the JSONL import mark). */
  getMeta(name: string): Promise<string | undefined>;
  setMeta(name: string, value: string): Promise<void>;

  /** Waits for pending commits, then closes. Appends after this are refused. */
  close(): Promise<void>;
}

export interface StoreOptions {
  retention?: RetentionPolicy;
}

/** A `postgres://` or `postgresql://` URL selects PostgreSQL; anything else is a SQLite file. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/**
 * Opens the engine the location names. The drivers are imported here, lazily, so that
 * `ez-pixel --help` never loads them.
 */
export async function openStore(location: string, options: StoreOptions = {}): Promise<Store> {
  if (isPostgresUrl(location)) {
    const { PostgresStore } = await import('./postgres-store.js');
    return PostgresStore.open(location, options);
  }
  const { SqliteStore } = await import('./sqlite-store.js');
  return SqliteStore.open(location, options);
}

/** The UTC hour number of a time, the bucket the sparkline counts in. */
export function hourOf(time: Date): number {
  return Math.floor(time.getTime() / 3_600_000);
}

/** postgres://user:secret@host/db → postgres://user:***@host/db, for messages and logs; a file path as it is. */
export function redactPassword(url: string): string {
  if (!isPostgresUrl(url)) return url;
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}
