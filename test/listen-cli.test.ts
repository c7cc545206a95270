// `ez-pixel listen` as a user runs it: the built CLI in a child process (build first: npm run build).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { killServers, root, runCli, startCliServer, type CliServer } from './helpers/cli-server.js';
import { getJson, makeEvent, postEvent } from './helpers/ingest.js';

type Listener = CliServer;
const startListen = (args: string[], env: Record<string, string | undefined> = {}, prefix: string[] = []) =>
  startCliServer('listen', args, env, prefix);

/** The event_ids in the SQLite file, oldest first, read as another process would. */
function storedIds(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db.prepare('SELECT body FROM events ORDER BY seq').all() as { body: string }[];
    return rows.map((row) => (JSON.parse(row.body) as { event_id: string }).event_id);
  } finally {
    db.close();
  }
}

let dir: string;
let store: string;
beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'cli.js'))) throw new Error('build the CLI first: npm run build');
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ez-pixel-listen-'));
  store = join(dir, 'events.db');
});
afterEach(() => {
  killServers();
  rmSync(dir, { recursive: true, force: true });
});

describe('ez-pixel listen', () => {
  it('prints the URL first, one feed line per event, and exits 0 on SIGINT with the store closed', async () => {
    const listener = await startListen(['--database', store]);
    expect(listener.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ingest$/);
    const event = makeEvent({ stack: [
      { file: 'node:internal/timers', line: 1, col: 1, fn: 'listOnTimeout', in_app: false },
      { file: 'src/app.js', line: 12, col: 5, fn: 'handler', in_app: true },
    ] });
    expect((await postEvent(listener.url, event)).status).toBe(201);
    expect(await listener.nextLine()).toBe('14:22:01  ERROR    ValueError: bad input  src/app.js:12  ×1');
    expect((await postEvent(listener.url, makeEvent({ level: 'fatal', stack: [] }))).status).toBe(201);
    expect(await listener.nextLine()).toBe('14:22:01  FATAL    ValueError: bad input  ×2');

    listener.child.kill('SIGINT');
    expect(await listener.exited).toEqual({ code: 0, signal: null });
    expect(listener.stderr()).toContain('SIGINT, closing the store');
    expect(storedIds(store)).toHaveLength(2);
  });

  it('exits 0 on SIGTERM', async () => {
    const listener = await startListen(['--database', store]);
    listener.child.kill('SIGTERM');
    expect(await listener.exited).toEqual({ code: 0, signal: null });
  });

  it('shows the innermost in-app frame, else the first, and never passes control characters to the terminal', async () => {
    const listener = await startListen(['--database', store]);
    const library = [
      { file: 'express/lib/router.js', line: 3, col: 1, fn: 'a', in_app: false },
      { file: 'express/lib/index.js', line: 9, col: 1, fn: 'b', in_app: false },
    ];
    await postEvent(listener.url, makeEvent({ fingerprint: 'cccccccccccccccc', stack: library, message: 'two\nlines' }));
    expect(await listener.nextLine()).toBe('14:22:01  ERROR    ValueError: two …  express/lib/router.js:3  ×1');
    await postEvent(listener.url, makeEvent({ type: 'Evil\u001b[2J', message: 'bell\u0007 and \u009b31m' }));
    const line = await listener.nextLine();
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(line).toContain('Evil\uFFFD[2J: bell\uFFFD and \uFFFD31m');
  });

  it('prints one JSON line per event with --json', async () => {
    const listener = await startListen(['--database', store, '--json']);
    const events = [makeEvent(), makeEvent(), makeEvent({ fingerprint: 'dddddddddddddddd' })];
    for (const event of events) await postEvent(listener.url, event);
    const lines = [await listener.nextLine(), await listener.nextLine(), await listener.nextLine()].map(
      (line) => JSON.parse(line) as Record<string, unknown>,
    );
    expect(lines).toEqual([
      { id: events[0]!.event_id, fingerprint: '41a4d6ea2a3e52f2', new_group: true, group_count: 1, event: events[0] },
      { id: events[1]!.event_id, fingerprint: '41a4d6ea2a3e52f2', new_group: false, group_count: 2, event: events[1] },
      { id: events[2]!.event_id, fingerprint: 'dddddddddddddddd', new_group: true, group_count: 1, event: events[2] },
    ]);
  });

  it('colours the level unless NO_COLOR is set', async () => {
    const coloured = await startListen(['--database', store], { NO_COLOR: undefined, FORCE_COLOR: '1' });
    await postEvent(coloured.url, makeEvent());
    expect(await coloured.nextLine()).toContain('\u001b[31mERROR');
    coloured.child.kill('SIGINT');
    await coloured.exited;

    const plain = await startListen(['--database', store], { NO_COLOR: '1', FORCE_COLOR: undefined });
    await postEvent(plain.url, makeEvent());
    expect(await plain.nextLine()).not.toContain('\u001b');
  });

  it('accepts only the --keys it was given', async () => {
    const listener = await startListen(['--database', store, '--keys', 'pk_test_one, pk_live_two']);
    expect((await postEvent(listener.url, makeEvent({ project_key: 'pk_live_two' }))).status).toBe(201);
    expect((await postEvent(listener.url, makeEvent({ project_key: 'pk_test_three' }))).status).toBe(401);
  });

  it('warns that the ingest is reachable from other machines only when bound beyond loopback', async () => {
    const loopback = await startListen(['--database', store, '--host', '127.0.0.2']);
    expect(loopback.url).toMatch(/^http:\/\/127\.0\.0\.2:\d+\/ingest$/);
    await loopback.stderrMatching(/Ctrl-C to stop/);
    loopback.child.kill('SIGINT');
    expect(await loopback.exited).toEqual({ code: 0, signal: null });
    expect(loopback.stderr()).not.toContain('reachable');

    const everywhere = await startListen(['--database', store, '--host', '0.0.0.0']);
    expect(await everywhere.stderrMatching(/reachable/)).toContain('warning: 0.0.0.0 is reachable from other machines; consider --keys');
  });
});

describe('durability', () => {
  it('keeps every acknowledged event across kill -9, and the groups continue after a restart', async () => {
    const first = await startListen(['--database', store]);
    const acknowledged: string[] = [];
    const posts = Array.from({ length: 40 }, (_, i) =>
      makeEvent({ fingerprint: i % 2 ? 'aaaaaaaaaaaaaaaa' : 'bbbbbbbbbbbbbbbb' }),
    );
    await Promise.all(
      posts.map(async (event) => {
        const answer = await postEvent(first.url, event);
        if (answer.status === 201) acknowledged.push(event.event_id as string);
      }),
    );
    expect(acknowledged).toHaveLength(40);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const second = await startListen(['--database', store]);
    expect(await second.stderrMatching(/events in/)).toContain('(40 events in 2 groups)');
    const listed = await getJson(`${second.origin}/events?limit=1000`);
    expect(new Set((listed.body.events as { event_id: string }[]).map((e) => e.event_id))).toEqual(new Set(acknowledged));

    const again = await postEvent(second.url, makeEvent({ fingerprint: 'aaaaaaaaaaaaaaaa' }));
    expect(again.body.new_group).toBe(false);
    expect(await second.nextLine()).toMatch(/×21$/);
    const retry = await postEvent(second.url, posts[0]!);
    expect(retry.status).toBe(200);
    expect(storedIds(store)).toHaveLength(41);
  });

  it('keeps every acknowledged event when killed with -9 in the middle of a flood', async () => {
    const listener = await startListen(['--database', store]);
    const acknowledged: string[] = [];
    let killed = false;
    const posts = Array.from({ length: 400 }, (_, i) => makeEvent({ fingerprint: `${'b'.repeat(15)}${i % 4}` }));
    const sending = Promise.all(
      posts.map(async (event, i) => {
        await new Promise((resolve) => setTimeout(resolve, i * 5));
        const answer = await postEvent(listener.url, event).catch(() => undefined);
        if (answer && answer.status >= 200 && answer.status < 300) acknowledged.push(event.event_id as string);
        if (acknowledged.length === 100 && !killed) {
          killed = true;
          listener.child.kill('SIGKILL');
        }
      }),
    );
    await sending;
    expect(killed).toBe(true);
    await listener.exited;
    const stored = new Set(storedIds(store));
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    // The kill landed mid-flood: the later posts found nobody to answer them.
    expect(acknowledged.length).toBeLessThan(posts.length);
  });

  it('lets two listeners on one database file work together: nothing stored twice, nothing lost, exact counts', async () => {
    const [one, two] = await Promise.all([startListen(['--database', store]), startListen(['--database', store])]);
    const shared = Array.from({ length: 60 }, (_, i) => makeEvent({ fingerprint: `${'c'.repeat(15)}${i % 3}` }));
    const own = [0, 1].map(() => Array.from({ length: 45 }, (_, i) => makeEvent({ fingerprint: `${'c'.repeat(15)}${i % 3}` })));
    const post = (listener: Listener, event: Record<string, unknown>) =>
      postEvent(listener.url, event).then((answer) => ({ ...answer, listener }));
    const answers = await Promise.all([
      ...shared.flatMap((event) => [post(one, event), post(two, event)]),
      ...own[0]!.map((event) => post(one, event)),
      ...own[1]!.map((event) => post(two, event)),
    ]);
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(150);
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(60);
    const ids = storedIds(store);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(150);
    const issues = await getJson(`${two.origin}/api/issues`);
    expect((issues.body.issues as { count: number }[]).map((issue) => issue.count)).toEqual([50, 50, 50]);
    // Each listener's feed counted the group as the database did: the counts 1…50 once each.
    const feed: string[] = [];
    for (const listener of [one, two]) {
      const stored = answers.filter((answer) => answer.listener === listener && answer.status === 201).length;
      for (let i = 0; i < stored; i++) feed.push(await listener.nextLine());
    }
    const counts = feed.map((line) => Number(/×(\d+)$/.exec(line)![1])).sort((a, b) => a - b);
    expect(counts).toEqual([1, 2, 3].flatMap(() => Array.from({ length: 50 }, (_, i) => i + 1)).sort((a, b) => a - b));
  });

  it('imports the old events.jsonl once, streamed, with a complete last line that has no newline', async () => {
    const old = [makeEvent(), makeEvent({ fingerprint: 'aaaaaaaaaaaaaaaa' }), makeEvent()];
    const lines = [JSON.stringify(old[0]), '{"event_id": broken', JSON.stringify(old[1]), JSON.stringify(old[2])];
    writeFileSync(join(dir, 'events.jsonl'), lines.join('\n'));
    const first = await startListen(['--database', store]);
    const stderr = await first.stderrMatching(/events in/);
    expect(stderr).toMatch(/imported 3 events from the old store .*events\.jsonl into .*events\.db \(once;/);
    expect(stderr).toMatch(/events\.jsonl:2: not a whole event, skipped/);
    expect(stderr).toContain('(3 events in 2 groups)');
    first.child.kill('SIGINT');
    await first.exited;
    expect(storedIds(store)).toEqual(old.map((event) => event.event_id));

    const second = await startListen(['--database', store]);
    expect(await second.stderrMatching(/events in/)).not.toContain('imported');
    expect((await postEvent(second.url, old[2]!)).status).toBe(200);
  });

  it('skips a torn last line of the old events.jsonl with a message, and imports the rest', async () => {
    const kept = makeEvent();
    writeFileSync(join(dir, 'events.jsonl'), `${JSON.stringify(kept)}\n${JSON.stringify(makeEvent()).slice(0, 77)}`);
    const listener = await startListen(['--database', store]);
    const stderr = await listener.stderrMatching(/events in/);
    expect(stderr).toMatch(/imported 1 events/);
    expect(stderr).toMatch(/events\.jsonl:2: not a whole event, skipped/);
    expect(storedIds(store)).toEqual([kept.event_id]);
  });

  it('refuses events with 503 once a write fails (file size limit), and recovers on restart', async () => {
    // Create the database first, then cap every file at 100 KiB with `ulimit -f`: the WAL soon
    // cannot grow, so SQLite's real write() fails with EFBIG (Node ignores SIGXFSZ).
    const creator = await startListen(['--database', store]);
    creator.child.kill('SIGINT');
    await creator.exited;
    const limited = await startListen(['--database', store], {}, ['bash', '-c', 'ulimit -f 100 && exec "$@"', 'bash']);
    const statuses: number[] = [];
    const acknowledged: string[] = [];
    for (let i = 0; i < 30; i++) {
      const event = makeEvent({ context: { padding: 'x'.repeat(2000) } });
      const answer = await postEvent(limited.url, event);
      statuses.push(answer.status);
      if (answer.status === 201) acknowledged.push(event.event_id as string);
    }
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(statuses.slice(acknowledged.length).every((status) => status === 503)).toBe(true);
    expect(statuses).toContain(503);
    const health = await getJson(`${limited.origin}/health`);
    expect(health.status).toBe(503);
    expect(health.body.status).toBe('store_failed');
    expect((await limited.stderrMatching(/SQLITE_(FULL|IOERR)/)).match(/writing .* failed/g)).toHaveLength(1);
    limited.child.kill('SIGTERM');
    expect((await limited.exited).code).toBe(0);

    const restarted = await startListen(['--database', store]);
    const listed = await getJson(`${restarted.origin}/events?limit=1000`);
    expect((listed.body.events as { event_id: string }[]).map((e) => e.event_id).reverse()).toEqual(acknowledged);
    expect((await postEvent(restarted.url, makeEvent())).status).toBe(201);
  });
});

describe('start-up failures', () => {
  it('exits 1 with a clear message when the port is in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const result = await runCli(['listen', '--port', String(port), '--database', store]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`port ${port} is already in use on 127.0.0.1`);
      expect(result.stdout).toBe('');
    } finally {
      blocker.close();
    }
  });

  it.each([['abc'], ['70000'], ['-1'], ['8.5']])('exits 2 for --port %s', async (port) => {
    const result = await runCli(['listen', '--port', port, '--database', store]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--port must be a number from 0 to 65535');
  });

  it('exits 2 for a malformed --keys', async () => {
    const result = await runCli(['listen', '--port', '0', '--database', store, '--keys', 'pk_live_ok,secret']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"secret" is not one');
  });

  it('a committed .ez-pixel/events.db, events.jsonl (or .ez-pixel) symlink out of the project: exit 2, the file it points to untouched', async () => {
    const project = join(dir, 'project');
    const outside = join(dir, 'outside');
    mkdirSync(join(project, '.ez-pixel'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(outside, 'bashrc'), "export PATH=/usr/bin\nalias ll='ls -l'");
    for (const name of ['events.db', 'events.db-wal', 'events.jsonl']) {
      symlinkSync('../../outside/bashrc', join(project, '.ez-pixel', name));
      const linked = await runCli(['listen', '--port', '0'], { cwd: project });
      expect(linked.code, linked.stderr).toBe(2);
      expect(linked.stderr).toMatch(new RegExp(`\\.ez-pixel/${name.replace('.', '\\.')} is a symlink to .*outside/bashrc, outside this folder`));
      expect(linked.stdout).toBe('');
      expect(readFileSync(join(outside, 'bashrc'), 'utf8')).toBe("export PATH=/usr/bin\nalias ll='ls -l'");
      rmSync(join(project, '.ez-pixel', name));
    }

    rmSync(join(project, '.ez-pixel'), { recursive: true });
    symlinkSync('../outside', join(project, '.ez-pixel'));
    const folder = await runCli(['listen', '--port', '0'], { cwd: project });
    expect(folder.code, folder.stderr).toBe(2);
    expect(existsSync(join(outside, 'events.db'))).toBe(false);
  });

  it('exits 1 when the store cannot be opened', async () => {
    const result = await runCli(['listen', '--port', '0', '--database', join(dir)]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot open the event store ${dir}`);
  });
});
