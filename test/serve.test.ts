// `ez-pixel serve` and `ez-pixel keys` as an operator runs them: the built CLI in child processes,
// on a SQLite file and on a real PostgreSQL (two serve processes sharing it).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { killServers, runCli, startCliServer, type CliServer } from './helpers/cli-server.js';
import { makeEvent, postEvent } from './helpers/ingest.js';
import { usePostgres } from './helpers/postgres.js';

const token = randomBytes(24).toString('hex');
const env = { EZ_PIXEL_ADMIN_TOKEN: token, EZ_PIXEL_DATABASE: undefined };
const startServe = (args: string[], extra: Record<string, string | undefined> = {}) => startCliServer('serve', args, { ...env, ...extra });
const keys = (args: string[]) => runCli(['keys', ...args], { env });
const authorized = { authorization: `Bearer ${token}` };

let dir: string;
let database: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ez-pixel-serve-'));
  database = join(dir, 'ez-pixel.db');
});
afterEach(() => {
  killServers();
  rmSync(dir, { recursive: true, force: true });
});

async function addKey(db: string, key?: string): Promise<string> {
  const added = await keys(['add', '--database', db, ...(key ? ['--key', key] : [])]);
  expect(added.code, added.stderr).toBe(0);
  return added.stdout.trim();
}

describe('ez-pixel keys', () => {
  it('adds, lists and revokes keys, with an exit code for each refusal', async () => {
    const generated = await addKey(database);
    expect(generated).toMatch(/^pk_live_[0-9a-f]{32}$/);
    const named = await keys(['add', '--database', database, '--key', 'pk_test_team', '--name', 'team web']);
    expect(named).toMatchObject({ code: 0, stdout: 'pk_test_team\n' });
    expect((await keys(['add', '--database', database, '--key', 'pk_test_team'])).code).toBe(1);
    const bad = await keys(['add', '--database', database, '--key', 'secret']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not a project key');

    expect(await keys(['revoke', 'pk_test_team', '--database', database])).toMatchObject({ code: 0 });
    const unknown = await keys(['revoke', 'pk_test_nobody', '--database', database]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no key pk_test_nobody');

    const listed = JSON.parse((await keys(['list', '--json', '--database', database])).stdout) as { key: string; name: string; revokedAt: string | null }[];
    expect(listed.map((record) => [record.key, record.name, record.revokedAt === null])).toEqual([
      [generated, '', true],
      ['pk_test_team', 'team web', false],
    ]);
    const text = (await keys(['list', '--database', database])).stdout;
    expect(text).toMatch(new RegExp(`^${generated}  active  created `, 'm'));
    expect(text).toMatch(/^pk_test_team  revoked .*  team web$/m);
  });
});

describe('ez-pixel serve', () => {
  it('refuses to start without an admin token, or with a short one (exit 2)', async () => {
    for (const value of [undefined, 'short']) {
      const result = await runCli(['serve', '--port', '0', '--database', database], { env: { EZ_PIXEL_ADMIN_TOKEN: value } });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('serve needs an admin token');
      expect(result.stdout).toBe('');
    }
    const file = join(dir, 'token');
    writeFileSync(file, `${token}\n`);
    const fromFile = await startCliServer('serve', ['--database', database, '--admin-token-file', file], { EZ_PIXEL_ADMIN_TOKEN: undefined });
    const health = await fetch(`${fromFile.origin}/api/issues`, { headers: authorized });
    expect(health.status).toBe(200);
  });

  it('accepts the keys in the database only: unknown and revoked keys get 401', async () => {
    const key = await addKey(database);
    const server = await startServe(['--database', database]);
    expect((await postEvent(server.url, makeEvent({ project_key: key }))).status).toBe(201);
    const unknown = await postEvent(server.url, makeEvent({ project_key: 'pk_live_unknown' }));
    expect(unknown.status).toBe(401);
    expect(unknown.body.error).toBe('unknown_key');
    expect((await keys(['revoke', key, '--database', database])).code).toBe(0);
    expect((await postEvent(server.url, makeEvent({ project_key: key }))).status).toBe(401);
    expect(server.stderr()).toContain('1 active project keys');
  });

  it('limits each key with a token bucket: 429 with Retry-After, other keys unaffected', async () => {
    const [busy, quiet] = [await addKey(database, 'pk_test_busy'), await addKey(database, 'pk_test_quiet')];
    const server = await startServe(['--database', database, '--rate-limit', '1', '--burst', '3']);
    const answers = [];
    // As a page sends them (with an Origin), so the 429 carries its CORS headers.
    for (let i = 0; i < 5; i++) answers.push(await postEvent(server.url, makeEvent({ project_key: busy }), { origin: 'http://localhost:3000' }));
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201, 429, 429]);
    expect(answers[3]!.headers.get('retry-after')).toBe('1');
    expect(answers[3]!.headers.get('access-control-allow-origin')).toBe('*');
    // A page's fetch can read Retry-After only when it is exposed (runtimes/browser/test/chromium/delivery.test.ts).
    expect(answers[3]!.headers.get('access-control-expose-headers')).toBe('retry-after');
    expect((await postEvent(server.url, makeEvent({ project_key: quiet }))).status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await postEvent(server.url, makeEvent({ project_key: busy }))).status).toBe(201);
  });

  it('serves the read API only with the admin token, and CORS on /ingest only', async () => {
    const key = await addKey(database);
    const server = await startServe(['--database', database]);
    const event = makeEvent({ project_key: key });
    const beacon = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: JSON.stringify(event) });
    expect(beacon.status).toBe(201);
    for (const path of ['/events', '/api/issues', '/api/issues/1']) {
      expect((await fetch(`${server.origin}${path}`)).status, path).toBe(401);
      expect((await fetch(`${server.origin}${path}`, { headers: { authorization: 'Bearer wrong-token-of-some-length' } })).status).toBe(401);
      const allowed = await fetch(`${server.origin}${path}`, { headers: authorized });
      expect(allowed.status, path).toBe(200);
      expect(allowed.headers.get('access-control-allow-origin')).toBeNull();
    }
    const viaCookie = await fetch(`${server.origin}/events`, { headers: { cookie: `ez_pixel_admin=${token}` } });
    expect(((await viaCookie.json()) as { events: { event_id: string }[] }).events.map((e) => e.event_id)).toEqual([event.event_id]);
    const status = await fetch(`${server.origin}/api/issues/1/status`, {
      method: 'POST',
      headers: { ...authorized, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'resolved' }),
    });
    expect(((await status.json()) as { issue: { status: string } }).issue.status).toBe('resolved');
    expect((await fetch(`${server.origin}/health`)).status).toBe(200);
  });
});

describe('two serve processes on one PostgreSQL', () => {
  const postgres = usePostgres();

  it('store nothing twice and lose nothing while both take the same and different events at once; the group counts are exact', async () => {
    const url = await postgres().freshDatabase();
    const key = await addKey(url);
    const servers = await Promise.all([0, 1].map(() => startServe(['--database', url, '--rate-limit', '100000', '--burst', '100000'])));
    const fingerprint = (i: number) => `${'d'.repeat(15)}${i % 4}`;
    const shared = Array.from({ length: 200 }, (_, i) => makeEvent({ project_key: key, fingerprint: fingerprint(i) }));
    const own = servers.map(() => Array.from({ length: 100 }, (_, i) => makeEvent({ project_key: key, fingerprint: fingerprint(i) })));
    const send = (server: CliServer, event: Record<string, unknown>) => postEvent(server.url, event);
    const answers = await Promise.all([
      ...shared.flatMap((event) => servers.map((server) => send(server, event))),
      ...own.flatMap((events, i) => events.map((event) => send(servers[i]!, event))),
    ]);
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(400);
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(200);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const events = await client.query('SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS distinct FROM events');
      expect(events.rows[0]).toEqual({ n: 400, distinct: 400 });
      const groups = await client.query('SELECT fingerprint, count::int FROM issues ORDER BY fingerprint');
      expect(groups.rows).toEqual([0, 1, 2, 3].map((i) => ({ fingerprint: fingerprint(i), count: 100 })));
      const positions = await client.query('SELECT count(*)::int AS n FROM (SELECT DISTINCT issue_id, position FROM events) p');
      expect(positions.rows[0].n).toBe(400);
    } finally {
      await client.end();
    }
    const stored = new Set<string>();
    for (const server of servers) {
      const listed = await fetch(`${server.origin}/events?limit=1000`, { headers: authorized });
      for (const event of ((await listed.json()) as { events: { event_id: string }[] }).events) stored.add(event.event_id);
    }
    expect(stored).toEqual(new Set([...shared, ...own.flat()].map((event) => event.event_id as string)));
  });
});
