/**
 * A real PostgreSQL for the tests: a temporary cluster (Debian's `postgresql` package, installed
 * by scripts/setup-test-env.sh) on 127.0.0.1 and a free port, with a fresh database per caller.
 *
 *   const pg = usePostgres();            // in a describe: starts in beforeAll, stops in afterAll
 *   const url = await pg().freshDatabase();
 *
 * initdb refuses to run as root, so as root the cluster belongs to the `postgres` user (or nobody).
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { freePort } from './run-app.js';

export interface TestPostgres {
  /** postgres://…/postgres, the maintenance database. */
  url: string;
  port: number;
  /** An empty schema (cheaper than a database) and a URL whose connections use it. */
  freshDatabase(): Promise<string>;
  stop(): Promise<void>;
}

const superuser = 'ezpixel';

export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((name) => existsSync(join(root, name, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error('PostgreSQL is not installed: run bash scripts/setup-test-env.sh (it installs Debian\'s postgresql)');
  return join(root, newest, 'bin');
}

/** The user to run the server as: ourselves, or an unprivileged one when we are root. */
function serverUser(): { name: string; uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    try {
      const [uid, gid] = ['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim()));
      return { name, uid: uid!, gid: gid! };
    } catch {
      // try the next one
    }
  }
  throw new Error('running as root, and neither a postgres nor a nobody user exists to run PostgreSQL');
}


export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBinDir();
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'ez-pixel-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const as = (argv: string[]) => (user ? ['runuser', '-u', user.name, '--', ...argv] : argv);
  const run = (argv: string[]) => execa(argv[0]!, argv.slice(1), { cwd: dir });

  const data = join(dir, 'data');
  // --no-sync only skips syncing initdb's own files; the server itself runs with fsync on.
  await run(as([join(bin, 'initdb'), '-D', data, '-U', superuser, '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale', 'C']));
  let port = 0;
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    try {
      await run(
        as([join(bin, 'pg_ctl'), '-D', data, '-w', '-t', '60', '-l', join(dir, 'server.log'), '-o',
          `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=100`, 'start']),
      );
      break;
    } catch (error) {
      // Another test may have taken the port between freePort() and the start.
      if (attempt >= 2) throw error;
    }
  }
  const url = `postgres://${superuser}@127.0.0.1:${port}/postgres`;
  let databases = 0;
  return {
    url,
    port,
    async freshDatabase() {
      const name = `test_${process.pid}_${++databases}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE SCHEMA ${name}`);
      } finally {
        await client.end();
      }
      return `${url}?options=${encodeURIComponent(`-c search_path=${name}`)}`;
    },
    async stop() {
      await run(as([join(bin, 'pg_ctl'), '-D', data, '-m', 'fast', '-w', 'stop'])).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One cluster for the calling test file. */
export function usePostgres(): () => TestPostgres {
  let server: TestPostgres | undefined;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (!server) throw new Error('usePostgres(): the server starts in beforeAll');
    return server;
  };
}
