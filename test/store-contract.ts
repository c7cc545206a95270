/**
 * The Store contract: one suite that both engines must pass (store-sqlite.test.ts and
 * store-postgres.test.ts call it with a way to open a fresh database).
 */
import { describe, expect, it } from 'vitest';
import type { IngestEvent } from '../src/ingest/event.js';
import type { RetentionPolicy, Store } from '../src/ingest/store.js';
import { makeEvent } from './helpers/ingest.js';

export interface ContractTarget {
  /** A new, empty database; the same location can be opened again with `reopen`. */
  fresh(retention?: RetentionPolicy): Promise<{ store: Store; reopen(): Promise<Store> }>;
}

const event = (overrides: Record<string, unknown> = {}) => makeEvent(overrides) as IngestEvent;
const ids = async (store: Store, query: Parameters<Store['listEvents']>[0]) =>
  (await store.listEvents(query)).map((row) => (JSON.parse(row.json.toString()) as IngestEvent).event_id);

export function storeContract(target: ContractTarget): void {
  const withStore = (retention: RetentionPolicy | undefined, body: (store: Store, reopen: () => Promise<Store>) => Promise<void>) => async () => {
    const { store, reopen } = await target.fresh(retention);
    try {
      await body(store, reopen);
    } finally {
      await store.close();
    }
  };

  describe('appends', () => {
    it('stores an event once per event_id, groups it, and answers a retry as the first delivery', withStore(undefined, async (store) => {
      const a1 = event({ fingerprint: 'aaaaaaaaaaaaaaaa' });
      const first = await store.append(a1);
      expect(first).toMatchObject({ id: a1.event_id, fingerprint: 'aaaaaaaaaaaaaaaa', newGroup: true, duplicate: false, groupCount: 1 });
      const a2 = await store.append(event({ fingerprint: 'aaaaaaaaaaaaaaaa' }));
      expect(a2).toMatchObject({ newGroup: false, duplicate: false, groupCount: 2, issueId: first.issueId });
      const retry = await store.append(a1);
      expect(retry).toMatchObject({ duplicate: true, newGroup: true, groupCount: 2, issueId: first.issueId });
      expect(await store.totals()).toEqual({ events: 2, groups: 1 });
      const stored = (await store.listEvents({ limit: 10 })).map((row) => JSON.parse(row.json.toString()) as IngestEvent);
      expect(stored.find((e) => e.event_id === a1.event_id)).toEqual(a1);
    }));

    it('groups by project key and fingerprint: one fingerprint from nine projects is nine issues', withStore(undefined, async (store) => {
      for (let project = 0; project < 9; project++) {
        const result = await store.append(event({ project_key: `pk_test_project${project}`, fingerprint: 'cccccccccccccccc' }));
        expect(result).toMatchObject({ newGroup: true, groupCount: 1 });
      }
      await store.append(event({ project_key: 'pk_test_project0', fingerprint: 'cccccccccccccccc' }));
      const issues = await store.listIssues({ limit: 100 });
      expect(issues).toHaveLength(9);
      expect(issues.map((issue) => issue.count).sort()).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 2]);
      expect(new Set(issues.map((issue) => issue.projectKey)).size).toBe(9);
    }));

    it('keeps counts exact under 300 concurrent appends with retries mixed in', withStore(undefined, async (store) => {
      const events = Array.from({ length: 300 }, (_, i) => event({ fingerprint: `${'0'.repeat(15)}${(i % 10).toString(16)}` }));
      const results = await Promise.all([...events, ...events.slice(0, 60)].map((e) => store.append(e)));
      expect(results.filter((r) => !r.duplicate)).toHaveLength(300);
      expect(results.filter((r) => r.newGroup && !r.duplicate)).toHaveLength(10);
      const counts = new Map<number, number[]>();
      for (const r of results.filter((r) => !r.duplicate)) counts.set(r.issueId, [...(counts.get(r.issueId) ?? []), r.groupCount]);
      for (const positions of counts.values()) expect(positions.sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      expect(await store.totals()).toEqual({ events: 300, groups: 10 });
      expect((await store.listIssues({ limit: 100 })).every((issue) => issue.count === 30)).toBe(true);
    }));

    it('stores concurrent copies of one event once', withStore(undefined, async (store) => {
      const copy = event();
      const results = await Promise.all(Array.from({ length: 20 }, () => store.append(copy)));
      expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
      expect(await store.totals()).toEqual({ events: 1, groups: 1 });
    }));

    it('keeps everything across a close and reopen, and the counts continue', withStore(undefined, async (store, reopen) => {
      const first = await store.append(event());
      await store.append(event());
      await store.close();
      const again = await reopen();
      try {
        expect(await again.totals()).toEqual({ events: 2, groups: 1 });
        expect(await again.append(event())).toMatchObject({ groupCount: 3, issueId: first.issueId, newGroup: false });
      } finally {
        await again.close();
      }
    }));

    it('refuses appends after close', withStore(undefined, async (store) => {
      await store.close();
      await expect(store.append(event())).rejects.toThrow(/closed/);
    }));
  });

  describe('reads', () => {
    it('lists events newest first, by fingerprint or issue, in pages', withStore(undefined, async (store) => {
      const a = [1, 2, 3].map(() => event({ fingerprint: 'aaaaaaaaaaaaaaaa' }));
      const b = [1, 2].map(() => event({ fingerprint: 'bbbbbbbbbbbbbbbb' }));
      const order = [a[0]!, b[0]!, a[1]!, b[1]!, a[2]!];
      const results = [];
      for (const e of order) results.push(await store.append(e));
      expect(await ids(store, { limit: 10 })).toEqual(order.map((e) => e.event_id).reverse());
      expect(await ids(store, { limit: 2, fingerprint: 'aaaaaaaaaaaaaaaa' })).toEqual([a[2]!.event_id, a[1]!.event_id]);
      expect(await ids(store, { limit: 10, issueId: results[1]!.issueId })).toEqual([b[1]!.event_id, b[0]!.event_id]);
      const page1 = await store.listEvents({ limit: 2 });
      const page2 = await store.listEvents({ limit: 2, before: page1[1]!.seq });
      expect(page2.map((row) => (JSON.parse(row.json.toString()) as IngestEvent).event_id)).toEqual([a[1]!.event_id, b[0]!.event_id]);
      expect(await ids(store, { limit: 10, fingerprint: 'cccccccccccccccc' })).toEqual([]);
    }));

    it('lists issues by last seen, with hourly counts', withStore(undefined, async (store) => {
      const now = new Date();
      const hourAgo = new Date(now.getTime() - 3_600_000);
      const old = await store.append(event({ fingerprint: 'aaaaaaaaaaaaaaaa', type: 'OldError', message: 'first' }), hourAgo);
      await store.append(event({ fingerprint: 'aaaaaaaaaaaaaaaa', message: 'second' }), now);
      await store.append(event({ fingerprint: 'aaaaaaaaaaaaaaaa' }), now);
      const fresh = await store.append(event({ fingerprint: 'bbbbbbbbbbbbbbbb', level: 'fatal' }), new Date(now.getTime() + 1000));
      const issues = await store.listIssues({ limit: 10 });
      expect(issues.map((issue) => issue.id)).toEqual([fresh.issueId, old.issueId]);
      expect(issues[1]).toMatchObject({
        type: 'OldError', message: 'first', count: 3, status: 'open', regression: false,
        firstSeen: hourAgo.toISOString(), lastSeen: now.toISOString(),
      });
      expect(issues[0]!.level).toBe('fatal');
      const histogram = await store.issueHistogram([old.issueId, fresh.issueId], 24, now);
      const hour = Math.floor(now.getTime() / 3_600_000);
      expect(histogram.get(old.issueId)).toEqual([{ hour: hour - 1, count: 1 }, { hour, count: 2 }]);
      expect((await store.listIssues({ limit: 1, offset: 1 })).map((issue) => issue.id)).toEqual([old.issueId]);
      expect(await store.getIssue(old.issueId)).toEqual(issues[1]);
      expect(await store.getIssue(999_999)).toBeUndefined();
      // Appends that arrive together (one commit on SQLite) are counted as if sent one by one.
      const together: [Record<string, unknown>, Date][] = [
        [{ fingerprint: 'aaaaaaaaaaaaaaaa' }, now], [{ fingerprint: 'aaaaaaaaaaaaaaaa' }, hourAgo],
        [{ fingerprint: 'aaaaaaaaaaaaaaaa' }, now], [{ fingerprint: 'cccccccccccccccc' }, now],
      ];
      await Promise.all(together.map(([fields, at]) => store.append(event(fields), at)));
      expect((await store.issueHistogram([old.issueId], 24, now)).get(old.issueId)).toEqual([{ hour: hour - 1, count: 2 }, { hour, count: 4 }]);
      expect((await store.getIssue(old.issueId))?.count).toBe(6);
    }));
  });

  describe('issue states', () => {
    it('resolves, ignores and reopens; a resolved issue that recurs reopens as a regression', withStore(undefined, async (store) => {
      const { issueId } = await store.append(event());
      expect(await store.setIssueStatus(issueId, 'resolved')).toMatchObject({ status: 'resolved', regression: false });
      expect((await store.listIssues({ status: 'resolved', limit: 10 })).map((issue) => issue.id)).toEqual([issueId]);
      const recurrence = await store.append(event());
      expect(recurrence.regression).toBe(true);
      expect(await store.getIssue(issueId)).toMatchObject({ status: 'open', regression: true, count: 2 });
      expect((await store.append(event())).regression).toBe(false);

      expect(await store.setIssueStatus(issueId, 'ignored')).toMatchObject({ status: 'ignored', regression: true });
      await store.append(event());
      expect(await store.getIssue(issueId)).toMatchObject({ status: 'ignored', count: 4 });
      expect(await store.setIssueStatus(issueId, 'resolved')).toMatchObject({ status: 'resolved', regression: false });
      expect(await store.setIssueStatus(issueId, 'open')).toMatchObject({ status: 'open' });
      expect(await store.setIssueStatus(999_999, 'resolved')).toBeUndefined();
    }));
  });

  describe('retention', () => {
    it('keeps the first N and the latest M events of each issue, while counting them all', withStore({ keepFirst: 2, keepLatest: 3 }, async (store) => {
      const events = Array.from({ length: 10 }, () => event());
      for (const e of events) await store.append(e);
      await store.append(event({ fingerprint: 'bbbbbbbbbbbbbbbb' }));
      const kept = await ids(store, { limit: 100, fingerprint: events[0]!.fingerprint });
      expect(kept).toEqual([9, 8, 7, 1, 0].map((i) => events[i]!.event_id));
      expect((await store.listIssues({ limit: 10 })).map((issue) => issue.count).sort()).toEqual([1, 10]);
    }));

    it('removes events and quiet issues older than --retain-days', withStore({ keepFirst: 10, keepLatest: 10, retainDays: 7 }, async (store) => {
      const now = new Date();
      const old = new Date(now.getTime() - 8 * 86_400_000);
      await store.append(event({ fingerprint: 'aaaaaaaaaaaaaaaa' }), old);
      await store.append(event({ fingerprint: 'bbbbbbbbbbbbbbbb' }), old);
      const recent = event({ fingerprint: 'bbbbbbbbbbbbbbbb' });
      await store.append(recent, now);
      expect(await store.pruneOld(now)).toBe(2);
      expect(await ids(store, { limit: 10 })).toEqual([recent.event_id]);
      expect((await store.listIssues({ limit: 10 })).map((issue) => issue.fingerprint)).toEqual(['bbbbbbbbbbbbbbbb']);
    }));
  });

  describe('keys and meta', () => {
    it('adds, lists and revokes project keys', withStore(undefined, async (store) => {
      expect(await store.isKeyActive('pk_live_one')).toBe(false);
      await store.addKey('pk_live_one', 'web');
      await store.addKey('pk_live_two', '');
      expect(await store.isKeyActive('pk_live_one')).toBe(true);
      expect(await store.revokeKey('pk_live_one')).toBe(true);
      expect(await store.revokeKey('pk_live_nope')).toBe(false);
      expect(await store.isKeyActive('pk_live_one')).toBe(false);
      const keys = await store.listKeys();
      expect(keys.map((key) => [key.key, key.name, key.revokedAt === null])).toEqual([
        ['pk_live_one', 'web', false],
        ['pk_live_two', '', true],
      ]);
      await expect(store.addKey('pk_live_two', 'again')).rejects.toThrow();
    }));

    it('keeps meta values', withStore(undefined, async (store) => {
      expect(await store.getMeta('x')).toBeUndefined();
      await store.setMeta('x', '1');
      await store.setMeta('x', '2');
      expect(await store.getMeta('x')).toBe('2');
    }));
  });

  describe('uploaded source maps', () => {
    const map = (n: number) => JSON.stringify({ version: 3, sources: [`../src/${n}.js`], names: [], mappings: 'AAAA' });

    it('keeps the maps of a release by project key and script, and a re-upload of the release replaces all of them', withStore(undefined, async (store, reopen) => {
      expect(await store.getSourceMap('pk_test_a', '1.0.0', 'assets/a.js')).toBeUndefined();
      await store.replaceSourceMaps('pk_test_a', '1.0.0', [
        { file: 'assets/a.js', path: 'dist/assets/a.js.map', map: map(1) },
        { file: 'assets/b.js', path: 'dist/assets/b.js.map', map: map(2) },
      ]);
      await store.replaceSourceMaps('pk_test_a', '1.0.1', [{ file: 'assets/a.js', path: 'dist/assets/a.js.map', map: map(3) }]);
      await store.replaceSourceMaps('pk_test_b', '1.0.0', [{ file: 'assets/a.js', path: 'build/a.js.map', map: map(4) }]);
      expect(await store.getSourceMap('pk_test_a', '1.0.0', 'assets/a.js')).toEqual({ file: 'assets/a.js', path: 'dist/assets/a.js.map', map: map(1) });
      expect((await store.getSourceMap('pk_test_a', '1.0.1', 'assets/a.js'))?.map).toBe(map(3));
      expect((await store.getSourceMap('pk_test_b', '1.0.0', 'assets/a.js'))?.path).toBe('build/a.js.map');

      await store.replaceSourceMaps('pk_test_a', '1.0.0', [{ file: 'assets/c.js', path: 'dist/assets/c.js.map', map: map(5) }]);
      expect(await store.getSourceMap('pk_test_a', '1.0.0', 'assets/a.js')).toBeUndefined();
      expect(await store.getSourceMap('pk_test_a', '1.0.0', 'assets/b.js')).toBeUndefined();
      await store.close();
      const again = await reopen();
      try {
        expect((await again.getSourceMap('pk_test_a', '1.0.0', 'assets/c.js'))?.map).toBe(map(5));
        expect((await again.getSourceMap('pk_test_a', '1.0.1', 'assets/a.js'))?.map).toBe(map(3));
      } finally {
        await again.close();
      }
    }));

    it('leaves the release as it was when a replacement fails half way', withStore(undefined, async (store) => {
      await store.replaceSourceMaps('pk_test_a', '2.0.0', [{ file: 'assets/a.js', path: 'dist/a.js.map', map: map(1) }]);
      // The same script twice breaks the primary key on the second row, after the delete and the first insert.
      const twice = { file: 'assets/b.js', path: 'dist/b.js.map', map: map(2) };
      await expect(store.replaceSourceMaps('pk_test_a', '2.0.0', [twice, twice])).rejects.toThrow();
      expect((await store.getSourceMap('pk_test_a', '2.0.0', 'assets/a.js'))?.map).toBe(map(1));
      expect(await store.getSourceMap('pk_test_a', '2.0.0', 'assets/b.js')).toBeUndefined();
    }));
  });

  describe('two connections on one database (as two processes)', () => {
    it('stores nothing twice and loses nothing when both take the same and different events at once', withStore(undefined, async (store, reopen) => {
      const other = await reopen();
      try {
        const shared = Array.from({ length: 60 }, (_, i) => event({ fingerprint: `${'a'.repeat(15)}${i % 3}` }));
        const own = [store, other].map(() => Array.from({ length: 40 }, (_, i) => event({ fingerprint: `${'a'.repeat(15)}${i % 3}` })));
        const results = await Promise.all([
          ...shared.flatMap((e) => [store.append(e), other.append(e)]),
          ...own[0]!.map((e) => store.append(e)),
          ...own[1]!.map((e) => other.append(e)),
        ]);
        expect(results.filter((r) => !r.duplicate)).toHaveLength(140);
        expect(await store.totals()).toEqual({ events: 140, groups: 3 });
        const counts = (await other.listIssues({ limit: 10 })).map((issue) => issue.count).sort();
        expect(counts).toEqual([46, 46, 48]);
      } finally {
        await other.close();
      }
    }));
  });
}
