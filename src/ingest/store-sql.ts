/**
 * SQL and row mapping that both engines share: the issue upsert (written with `?` placeholders;
 * the PostgreSQL engine numbers them) and how rows become Issues and answers.
 */
import type { AppendResult, Issue, IssueStatus } from './store.js';

/** The same upsert in both engines: count, last_seen, and a resolved issue reopened as a regression. */
export const upsertIssueSql = `
INSERT INTO issues (project_key, fingerprint, type, message, level, count, first_seen, last_seen)
VALUES (?, ?, ?, ?, ?, 1, ?, ?)
ON CONFLICT (project_key, fingerprint) DO UPDATE SET
  count = issues.count + 1,
  last_seen = CASE WHEN excluded.last_seen > issues.last_seen THEN excluded.last_seen ELSE issues.last_seen END,
  status = CASE WHEN issues.status = 'resolved' THEN 'open' ELSE issues.status END,
  regression = CASE WHEN issues.status = 'resolved' THEN 1 ELSE issues.regression END,
  reopened_at_count = CASE WHEN issues.status = 'resolved' THEN issues.count + 1 ELSE issues.reopened_at_count END
RETURNING id, count, reopened_at_count`;

/** Uploaded source maps (`ez-pixel sourcemaps upload`): the same table in both engines. */
export const sourceMapsTable = `CREATE TABLE IF NOT EXISTS source_maps (
  project_key TEXT NOT NULL,
  release TEXT NOT NULL,
  file TEXT NOT NULL,
  path TEXT NOT NULL,
  map TEXT NOT NULL,
  uploaded_at TEXT NOT NULL,
  PRIMARY KEY (project_key, release, file)
);`;

export const issueColumns = 'id, project_key, fingerprint, type, message, level, count, first_seen, last_seen, status, regression';

export interface IssueRow {
  id: number;
  project_key: string;
  fingerprint: string;
  type: string;
  message: string;
  level: string;
  count: number;
  first_seen: string;
  last_seen: string;
  status: IssueStatus;
  regression: number | boolean;
}

export function issueFromRow(row: IssueRow): Issue {
  return {
    id: Number(row.id),
    projectKey: row.project_key,
    fingerprint: row.fingerprint,
    type: row.type,
    message: row.message,
    level: row.level,
    count: Number(row.count),
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    status: row.status,
    regression: Boolean(row.regression),
  };
}

/** A retry answers as the first delivery did: its issue's first event or not, and the issue's size now. */
export function duplicateResult(
  id: string,
  known: { issue_id: number; position: number; count: number; fingerprint: string },
): AppendResult {
  return {
    id,
    fingerprint: known.fingerprint,
    issueId: Number(known.issue_id),
    newGroup: Number(known.position) === 1,
    duplicate: true,
    groupCount: Number(known.count),
    regression: false,
  };
}
