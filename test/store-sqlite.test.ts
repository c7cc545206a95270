// The Store contract on the embedded engine: a SQLite file in a temp dir.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/ingest/sqlite-store.js';
import type { IngestEvent } from '../src/ingest/event.js';
import { makeEvent } from './helpers/ingest.js';
import { storeContract } from './store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'ez-pixel-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

describe('SqliteStore', () => {
  storeContract({
    async fresh(retention) {
      const path = join(dir, `store-${++files}`, 'events.db');
      return { store: await SqliteStore.open(path, { retention }), reopen: () => SqliteStore.open(path, { retention }) };
    },
  });

  it('creates the file in WAL mode', async () => {
    const path = join(dir, 'wal', 'nested', 'events.db');
    const store = await SqliteStore.open(path);
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('refuses every write once its commit cannot be synced, and acknowledges nothing unsynced', async () => {
    const path = join(dir, 'unsyncable', 'events.db');
    const store = await SqliteStore.open(path);
    // The WAL the store syncs after each commit is gone (as after a disk error): the first sync fails.
    unlinkSync(`${path}-wal`);
    const event = { ...makeEvent(), project_key: 'pk_test_sync' } as unknown as IngestEvent;
    await expect(store.append(event)).rejects.toThrow(/syncing .*events\.db failed .*new events are refused until the ingest restarts/);
    expect(store.failed?.message).toMatch(/syncing/);
    await expect(store.append({ ...event, event_id: randomUUID() })).rejects.toBe(store.failed);
    await expect(store.setIssueStatus(1, 'resolved')).rejects.toBe(store.failed);
    await store.close();
  });
});
