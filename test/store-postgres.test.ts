// The Store contract on PostgreSQL: a real server (test/helpers/postgres.ts), a fresh database each time.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { IngestEvent } from '../src/ingest/event.js';
import { PostgresStore } from '../src/ingest/postgres-store.js';
import { makeEvent } from './helpers/ingest.js';
import { usePostgres } from './helpers/postgres.js';
import { storeContract } from './store-contract.js';

describe('PostgresStore', () => {
  const postgres = usePostgres();
  storeContract({
    async fresh(retention) {
      const url = await postgres().freshDatabase();
      return { store: await PostgresStore.open(url, { retention }), reopen: () => PostgresStore.open(url, { retention }) };
    },
  });

  it('counts events and groups without a full count: kept by triggers, whoever writes, one row per connection, and counted once in a database from before the counters', async () => {
    const url = await postgres().freshDatabase();
    const event = (fingerprint: string) => ({ ...makeEvent({ fingerprint }), project_key: 'pk_test_counters' }) as unknown as IngestEvent;
    const store = await PostgresStore.open(url, { retention: { keepFirst: 1, keepLatest: 2 } });
    const first = event('aaaaaaaaaaaaaaaa');
    await Promise.all([first, first, event('aaaaaaaaaaaaaaaa'), event('aaaaaaaaaaaaaaaa'), event('aaaaaaaaaaaaaaaa'), event('bbbbbbbbbbbbbbbb')].map((e) => store.append(e)));
    // Five distinct events, one retry; retention keeps 1 + 2 of the four in group a.
    expect(await store.totals()).toEqual({ events: 4, groups: 2 });

    // Another writer (a script, psql) adds and removes rows directly.
    const direct = new pg.Client({ connectionString: url });
    await direct.connect();
    try {
      await direct.query('DELETE FROM events WHERE seq = (SELECT min(seq) FROM events)');
      await direct.query("INSERT INTO issues (project_key, fingerprint, type, message, level, count, first_seen, last_seen) VALUES ('pk_test_counters', 'cccccccccccccccc', 'E', 'm', 'error', 0, 'x', 'x')");
      expect(await store.totals()).toEqual({ events: 3, groups: 3 });
      await store.close();
      // The closed pool's backends leave pg_stat_activity a moment after their clients disconnect.
      const stillRunning = "SELECT count(*)::int AS n FROM totals WHERE backend NOT IN (0, pg_backend_pid()) AND backend IN (SELECT pid FROM pg_stat_activity)";
      for (let wait = 0; (await direct.query(stillRunning)).rows[0].n > 0 && wait < 100; wait++) await new Promise((resolve) => setTimeout(resolve, 50));

      // At the next start, the rows of the connections that have ended are folded into one.
      const reopened = await PostgresStore.open(url);
      expect(await reopened.totals()).toEqual({ events: 3, groups: 3 });
      const live = (await direct.query('SELECT count(*)::int AS n FROM totals WHERE backend <> 0')).rows[0].n as number;
      expect(live).toBe(1);
      await reopened.close();

      // A database written before the counters existed: no totals table, no triggers.
      await direct.query('DROP TABLE totals; DROP TRIGGER events_counted ON events; DROP TRIGGER events_uncounted ON events; DROP TRIGGER groups_counted ON issues; DROP TRIGGER groups_uncounted ON issues');
      await direct.query("INSERT INTO issues (project_key, fingerprint, type, message, level, count, first_seen, last_seen) VALUES ('pk_test_counters', 'eeeeeeeeeeeeeeee', 'E', 'm', 'error', 0, 'x', 'x')");
      const migrated = await PostgresStore.open(url);
      expect(await migrated.totals()).toEqual({ events: 3, groups: 4 });
      await migrated.append(event('dddddddddddddddd'));
      expect(await migrated.totals()).toEqual({ events: 4, groups: 5 });
      await migrated.close();
    } finally {
      await direct.end();
    }
  });
});
