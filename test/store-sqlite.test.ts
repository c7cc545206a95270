// The Store contract on the embedded engine: a SQLite file in a temp dir.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { joinedWithCommas } from '../src/ingest/answer.js';
import { SqliteStore } from '../src/ingest/sqlite-store.js';
import { WalFill } from '../src/ingest/wal-fill.js';
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

  it('counts events and groups without a full count: kept by triggers, whoever writes, and counted once in a file from before the counters', async () => {
    const path = join(dir, 'counters', 'events.db');
    const store = await SqliteStore.open(path, { retention: { keepFirst: 1, keepLatest: 2 } });
    const event = (fingerprint: string) => ({ ...makeEvent({ fingerprint }), project_key: 'pk_test_counters' }) as unknown as IngestEvent;
    const first = event('aaaaaaaaaaaaaaaa');
    await Promise.all([first, first, event('aaaaaaaaaaaaaaaa'), event('aaaaaaaaaaaaaaaa'), event('aaaaaaaaaaaaaaaa'), event('bbbbbbbbbbbbbbbb')].map((e) => store.append(e)));
    // Five distinct events, one retry; retention keeps 1 + 2 of the four in group a.
    expect(await store.totals()).toEqual({ events: 4, groups: 2 });
    await store.close();

    // Another writer (an older ez-pixel, a script) adds and removes rows directly.
    const db = new Database(path);
    db.prepare("DELETE FROM events WHERE seq = (SELECT min(seq) FROM events)").run();
    db.prepare("INSERT INTO issues (project_key, fingerprint, type, message, level, count, first_seen, last_seen) VALUES ('pk_test_counters', 'cccccccccccccccc', 'E', 'm', 'error', 0, 'x', 'x')").run();
    db.close();
    const reopened = await SqliteStore.open(path);
    expect(await reopened.totals()).toEqual({ events: 3, groups: 3 });
    await reopened.close();

    // A file written before the counters existed: no totals table, no triggers.
    const old = new Database(path);
    old.exec('DROP TRIGGER events_counted; DROP TRIGGER events_uncounted; DROP TRIGGER groups_counted; DROP TRIGGER groups_uncounted; DROP TABLE totals;');
    old.close();
    const migrated = await SqliteStore.open(path);
    expect(await migrated.totals()).toEqual({ events: 3, groups: 3 });
    await migrated.append(event('dddddddddddddddd'));
    expect(await migrated.totals()).toEqual({ events: 4, groups: 4 });
    await migrated.close();
  });

  it('trims each issue once per commit: appends that share a commit keep the same first N and latest M as appends one by one', async () => {
    const path = join(dir, 'batch-trim', 'events.db');
    const store = await SqliteStore.open(path, { retention: { keepFirst: 2, keepLatest: 3 } });
    const events = Array.from({ length: 10 }, () => ({ ...makeEvent({ fingerprint: 'aaaaaaaaaaaaaaaa' }), project_key: 'pk_test_trim' }) as unknown as IngestEvent);
    const results = await Promise.all([...events, events[0]!].map((e) => store.append(e)));
    expect(results.map((result) => result.groupCount)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10]);
    expect(results.at(-1)).toMatchObject({ duplicate: true, newGroup: true });
    const kept = (await store.listEvents({ limit: 100 })).map((row) => (JSON.parse(row.json.toString()) as IngestEvent).event_id);
    expect(kept).toEqual([9, 8, 7, 1, 0].map((i) => events[i]!.event_id));
    expect(await store.totals()).toEqual({ events: 5, groups: 1 });
    await store.close();
  });

  it('reads how many frames the WAL holds from the wal-index header, as SQLite counts them, also once the WAL is written again from its start', () => {
    const path = join(dir, 'wal-fill', 'events.db');
    mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    const fill = new WalFill(`${path}-shm`, db.pragma('page_size', { simple: true }) as number);
    try {
      db.exec('CREATE TABLE t (x TEXT)');
      const insert = db.prepare('INSERT INTO t (x) VALUES (?)');
      for (let i = 0; i < 50; i++) insert.run('y'.repeat(3000));
      const frames = (db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[])[0]!.log;
      expect(frames).toBeGreaterThan(50);
      expect(fill.bytes()).toBe(frames * 4096);
      // After a complete checkpoint the next commit starts the WAL over: the file keeps its size.
      const size = statSync(`${path}-wal`).size;
      insert.run('z');
      expect(fill.bytes()).toBe((db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[])[0]!.log * 4096);
      expect(fill.bytes()).toBeLessThan(frames * 4096);
      expect(statSync(`${path}-wal`).size).toBe(size);
    } finally {
      fill.close();
      db.close();
    }
  });

  it('hands a page of stored events over laid out as a JSON array, which /events writes without copying it', async () => {
    const path = join(dir, 'pages', 'events.db');
    const store = await SqliteStore.open(path);
    const events = Array.from({ length: 5 }, (_, i) => ({ ...makeEvent({ message: `é ${i}` }), project_key: 'pk_test_pages' }) as unknown as IngestEvent);
    await Promise.all(events.map((e) => store.append(e)));
    const rows = (await store.listEvents({ limit: 16 })).map((row) => row.json);
    const page = joinedWithCommas(rows);
    expect(page.buffer).toBe(rows[0]!.buffer);
    expect(JSON.parse(`[${page.toString()}]`)).toEqual([...events].reverse());
    // Items that do not lie so (PostgreSQL's rows) are joined by copying.
    const separate = rows.map((row) => Buffer.from(row));
    expect(joinedWithCommas(separate).toString()).toBe(page.toString());
    expect(joinedWithCommas([rows[2]!]).toString()).toBe(rows[2]!.toString());
    await store.close();
  });

  it('keeps the WAL near its checkpoint size under a flood: checkpoints on the second thread take all of it, and nothing is lost', async () => {
    const path = join(dir, 'checkpoints', 'events.db');
    const store = await SqliteStore.open(path, { retention: { keepFirst: 10_000, keepLatest: 0 } });
    const padding = 'x'.repeat(4096);
    let largestWal = 0;
    // 40 floods of 100 events of about 4 KiB: some 16 MB through a WAL checkpointed at 4 MB.
    for (let flood = 0; flood < 40; flood++) {
      const events = Array.from({ length: 100 }, () => ({ ...makeEvent({ context: { padding } }), project_key: 'pk_test_wal' }) as unknown as IngestEvent);
      await Promise.all(events.map((e) => store.append(e)));
      largestWal = Math.max(largestWal, statSync(`${path}-wal`).size);
    }
    expect(await store.totals()).toEqual({ events: 4000, groups: 1 });
    expect((await store.listEvents({ limit: 5000 })).length).toBe(4000);
    expect(largestWal).toBeLessThan(10 * 1024 * 1024);
    await store.close();
  });
});
