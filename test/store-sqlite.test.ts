// The Store contract on the embedded engine: a SQLite file in a temp dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/ingest/sqlite-store.js';
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
});
