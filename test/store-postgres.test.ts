// The Store contract on PostgreSQL: a real server (test/helpers/postgres.ts), a fresh database each time.
import { describe } from 'vitest';
import { PostgresStore } from '../src/ingest/postgres-store.js';
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
});
