/**
 * `ez-pixel keys add|list|revoke`: the project keys `serve` accepts, kept in its database.
 * add prints the new key on stdout (alone, so scripts can capture it).
 */
import { CliError, ExitCode } from '../exit-codes.js';
import { openStore, type Store } from '../ingest/store.js';
import { generateProjectKey, isProjectKey } from '../key.js';
import { databaseFailure, defaultServeDatabase, parseDatabase } from './ingest-options.js';

async function withStore<T>(options: Record<string, unknown>, use: (store: Store) => Promise<T>): Promise<T> {
  const database = parseDatabase(options.database ?? process.env.EZ_PIXEL_DATABASE, defaultServeDatabase);
  let store: Store;
  try {
    store = await openStore(database);
  } catch (error) {
    throw databaseFailure(error, database) ?? error;
  }
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

export async function keysAddCommand(options: Record<string, unknown>): Promise<number> {
  const key = options.key === undefined ? generateProjectKey() : String(options.key);
  if (!isProjectKey(key)) throw new CliError(`--key "${key}" is not a project key (pk_live_… or pk_test_…)`, ExitCode.usage);
  const name = String(options.name ?? '');
  await withStore(options, async (store) => {
    if ((await store.listKeys()).some((record) => record.key === key)) {
      throw new CliError(`the key ${key} is already in the database`, ExitCode.failed);
    }
    await store.addKey(key, name);
  });
  process.stdout.write(`${key}\n`);
  process.stderr.write(`ez-pixel keys: added${name ? ` "${name}"` : ''}; serve accepts it now\n`);
  return ExitCode.ok;
}

export async function keysListCommand(options: Record<string, unknown>): Promise<number> {
  const keys = await withStore(options, (store) => store.listKeys());
  if (options.json === true) {
    process.stdout.write(`${JSON.stringify(keys)}\n`);
    return ExitCode.ok;
  }
  if (keys.length === 0) process.stderr.write('ez-pixel keys: no keys yet (add one with `ez-pixel keys add`)\n');
  for (const record of keys) {
    const state = record.revokedAt === null ? 'active' : `revoked ${record.revokedAt}`;
    process.stdout.write(`${record.key}  ${state}  created ${record.createdAt}${record.name ? `  ${record.name}` : ''}\n`);
  }
  return ExitCode.ok;
}

export async function keysRevokeCommand(key: string, options: Record<string, unknown>): Promise<number> {
  const found = await withStore(options, (store) => store.revokeKey(key));
  if (!found) throw new CliError(`no key ${key} in the database`, ExitCode.failed, 'See the keys with: ez-pixel keys list');
  process.stderr.write(`ez-pixel keys: revoked ${key}; serve answers 401 to it from now on\n`);
  return ExitCode.ok;
}
