// What happens to events when the process ends: flushed on a normal exit, spooled on
// process.exit() and delivered by the next process, bounded when the ingest never answers,
// and an idle SDK never keeps the process alive.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeApp, printWaitAtExit, waitedAtExit } from './helpers/child-app.js';
import { cjsEntry } from './helpers/build.js';
import { IngestServer, refusingUrl, validateEvent, useIngestServer } from './helpers/ingest-server.js';
import { spoolDirectory } from '../src/spool.js';

const ingest = useIngestServer();

const KEY = 'pk_test_exit';
const spoolOf = (cacheDir: string, key = KEY) =>
  join(cacheDir, 'ez-pixel', 'spool', createHash('sha256').update(key).digest('hex').slice(0, 16));
const init = (options = '') => `const { initPixel, reportPixel, flushPixel } = require(${JSON.stringify(cjsEntry)});
initPixel({ projectKey: process.env.KEY || '${KEY}', ingestUrl: process.env.INGEST, ${options} });`;

describe('process end', () => {
  it('flushes pending events on a normal exit (beforeExit)', async () => {
    const app = makeApp();
    const before = ingest().received.length;
    const result = await app.run(app.write('app.js', `${init()}\nfor (const n of [1, 2, 3]) reportPixel('normal exit ' + n);\n`), { env: { INGEST: ingest().url } });
    expect(result.code).toBe(0);
    expect(ingest().events.slice(before).map((e) => e.message).sort()).toEqual(['normal exit 1', 'normal exit 2', 'normal exit 3']);
    expect(existsSync(spoolOf(app.cacheDir))).toBe(false);
  });

  it('spools events on process.exit(), and the next process with the same key delivers them', async () => {
    const app = makeApp();
    const before = ingest().received.length;
    const exiting = await app.run(app.write('exit.js', `${init()}\nreportPixel('sent at exit', { level: 'warning' });\nprocess.exit(3);\n`), { env: { INGEST: ingest().url } });
    expect(exiting.code).toBe(3);
    const spool = spoolOf(app.cacheDir);
    const files = readdirSync(spool);
    expect(files).toHaveLength(1);
    const spooled = JSON.parse(readFileSync(join(spool, files[0]!), 'utf8'));
    expect(files[0]).toBe(`${spooled.event_id}.json`);
    expect(validateEvent(spooled)).toBe(true);
    expect(spooled).toMatchObject({ message: 'sent at exit', level: 'warning', project_key: KEY });

    // Another key does not take it.
    const other = await app.run(app.write('other.js', init()), { env: { INGEST: ingest().url, KEY: 'pk_test_other' } });
    expect(other.code).toBe(0);
    expect(readdirSync(spool)).toHaveLength(1);

    const next = await app.run(app.write('next.js', init()), { env: { INGEST: ingest().url } });
    expect(next.code).toBe(0);
    const delivered = ingest().events.slice(before);
    expect(delivered).toEqual([expect.objectContaining({ event_id: spooled.event_id, message: 'sent at exit' })]);
    expect(readdirSync(spool)).toEqual([]);
  });

  it('never keeps the process alive when idle, nor after delivering', async () => {
    // Measured inside the child (see printWaitAtExit): kept alive, it would wait seconds (an open
    // socket, a timer) or until killed.
    const app = makeApp();
    const idle = await app.run(app.write('idle.js', `${init()}\nconst appDone = performance.now();\n${printWaitAtExit('appDone')}\n`), { env: { INGEST: ingest().url } });
    const delivered = await app.run(
      app.write('sent.js', `${init()}\nlet flushed;\n${printWaitAtExit('flushed')}\nreportPixel('one');\nflushPixel().then((ok) => { flushed = performance.now(); console.log(ok); });\n`),
      { env: { INGEST: ingest().url } },
    );
    expect(idle.code).toBe(0);
    expect(delivered.stdout).toMatch(/^true\n/);
    expect(waitedAtExit(idle.stdout)).toBeLessThan(500);
    expect(waitedAtExit(delivered.stdout)).toBeLessThan(500);
  });

  it('exits within shutdownTimeoutMs when the ingest accepts but never answers, spooling the events', async () => {
    // The bound is on the SDK's own wait, from the app's last statement (or its crash) to the
    // process 'exit' event. A socket kept alive until the 5 s request timeout, or a wait longer
    // than shutdownTimeoutMs, still lands far outside it.
    const blackhole = await IngestServer.start();
    blackhole.fallback = 'stall';
    try {
      const app = makeApp();
      const normal = await app.run(
        app.write('normal.js', `${init('shutdownTimeoutMs: 1000')}\nreportPixel('never answered');\nconst appDone = performance.now();\n${printWaitAtExit('appDone')}\n`),
        { env: { INGEST: blackhole.url } },
      );
      expect(normal.code).toBe(0);
      expect(waitedAtExit(normal.stdout)).toBeLessThan(1000 + 900);
      const crash = await app.run(
        app.write('crash.js', `${init('shutdownTimeoutMs: 1000')}\nlet crashedAt;\n${printWaitAtExit('crashedAt')}\nsetTimeout(() => { crashedAt = performance.now(); throw new Error('crash, never answered'); }, 1);\n`),
        { env: { INGEST: blackhole.url } },
      );
      expect(crash.code).toBe(1);
      expect(waitedAtExit(crash.stdout)).toBeLessThan(1000 + 900);
      const messages = readdirSync(spoolOf(app.cacheDir)).map((f) => JSON.parse(readFileSync(join(spoolOf(app.cacheDir), f), 'utf8')).message);
      expect(messages.sort()).toEqual(['crash, never answered', 'never answered']);
    } finally {
      await blackhole.close();
    }
  });

  it('spools an event given up after the last retry, and the next process delivers it', async () => {
    const app = makeApp();
    const down = await refusingUrl();
    const script = `${init()}\nconst id = reportPixel('given up');\nflushPixel(10000).then(() => console.log(id));\n`;
    const failing = await app.run(app.write('fail.js', script), { env: { INGEST: down, EZ_PIXEL_BACKOFF_SCALE: '0.05' } });
    expect(failing.stderr).toMatch(/gave up delivering event .* after 6 attempts \(ECONNREFUSED\)/);
    const id = failing.stdout.trim();
    expect(readdirSync(spoolOf(app.cacheDir))).toEqual([`${id}.json`]);

    const before = ingest().received.length;
    const next = await app.run(app.write('next.js', init()), { env: { INGEST: ingest().url } });
    expect(next.code).toBe(0);
    expect(ingest().events.slice(before)).toEqual([expect.objectContaining({ event_id: id, message: 'given up' })]);
    expect(readdirSync(spoolOf(app.cacheDir))).toEqual([]);
  });

  it('does not spool again an event from the spool that is given up once more', async () => {
    const app = makeApp();
    const down = await refusingUrl();
    await app.run(app.write('exit.js', `${init()}\nreportPixel('spooled');\nprocess.exit(0);\n`), { env: { INGEST: down } });
    const [file] = readdirSync(spoolOf(app.cacheDir));
    const written = statSync(join(spoolOf(app.cacheDir), file!)).mtimeMs;
    const retry = await app.run(app.write('retry.js', `${init()}\nsetTimeout(() => flushPixel(10000), 50);\n`), { env: { INGEST: down, EZ_PIXEL_BACKOFF_SCALE: '0.05' } });
    expect(retry.stderr).toMatch(/gave up delivering event/);
    expect(readdirSync(spoolOf(app.cacheDir))).toEqual([file]);
    expect(statSync(join(spoolOf(app.cacheDir), file!)).mtimeMs).toBe(written);
  });

  it('spools the events of a client replaced by a second initPixel when the process exits', async () => {
    const app = makeApp();
    const down = await refusingUrl();
    const script = `${init()}\nconst first = reportPixel('before re-init');\n${init().split('\n')[1]}\nconst second = reportPixel('after re-init');\nconsole.log(JSON.stringify([first, second]));\nprocess.exit(0);\n`;
    const result = await app.run(app.write('reinit.js', script), { env: { INGEST: down } });
    const ids: string[] = JSON.parse(result.stdout.trim());
    const spool = spoolOf(app.cacheDir);
    expect(readdirSync(spool).sort()).toEqual(ids.map((id) => `${id}.json`).sort());
    const messages = readdirSync(spool).map((f) => JSON.parse(readFileSync(join(spool, f), 'utf8')).message);
    expect(messages.sort()).toEqual(['after re-init', 'before re-init']);
  });

  it('writes spool files 0600 in 0700 folders (they hold messages, source lines and the key)', async () => {
    const app = makeApp();
    const result = await app.run(app.write('exit.js', `${init()}\nreportPixel('private');\nprocess.exit(0);\n`), { env: { INGEST: ingest().url } });
    expect(result.code).toBe(0);
    const spool = spoolOf(app.cacheDir);
    const [name] = readdirSync(spool);
    expect(statSync(join(spool, name!)).mode & 0o777).toBe(0o600);
    for (const dir of [spool, join(spool, '..'), join(spool, '..', '..')]) expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('leaves no temp file behind on a full disk, and prunes those an earlier process left', async () => {
    const app = makeApp();
    const spool = spoolOf(app.cacheDir);
    mkdirSync(spool, { recursive: true });
    const stale = join(spool, '.00000000-0000-4000-8000-000000000001.123.tmp');
    const pythons = join(spool, '00000000-0000-4000-8000-000000000002.json.456.tmp');
    const writing = join(spool, '.00000000-0000-4000-8000-000000000003.789.tmp');
    for (const file of [stale, pythons, writing]) writeFileSync(file, '');
    const minutesAgo = Date.now() / 1000 - 120;
    for (const file of [stale, pythons]) utimesSync(file, minutesAgo, minutesAgo);
    // A file size limit of 0 makes every write fail as a full disk does (EFBIG instead of ENOSPC),
    // after the file is created; the app ignores SIGXFSZ so it lives to see the error.
    const script = app.write('exit.js', `process.on('SIGXFSZ', () => {});\n${init()}\nreportPixel('no room');\nprocess.exit(0);\n`);
    const result = spawnSync('sh', ['-c', 'ulimit -f 0; exec "$0" "$@"', process.execPath, script], {
      cwd: app.dir,
      env: { ...process.env, NODE_OPTIONS: '', INGEST: ingest().url, EZ_PIXEL_CACHE_DIR: app.cacheDir },
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(readdirSync(spool)).toEqual([basename(writing)]);
  });

  it('keeps the spool within 100 files and 5 MiB and discards files older than 7 days', async () => {
    const app = makeApp();
    const spool = spoolOf(app.cacheDir);
    mkdirSync(spool, { recursive: true });
    const week = 7 * 24 * 3600;
    const now = Date.now() / 1000;
    const fake = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    for (let i = 0; i < 120; i++) {
      const file = join(spool, `${fake(i)}.json`);
      writeFileSync(file, JSON.stringify({ event_id: fake(i), padding: 'x'.repeat(i < 10 ? 1024 * 1024 : 10) }));
      // 0–9: 1 MiB each and the oldest; 10–19: older than a week; the rest: recent, in order.
      utimesSync(file, now - (i < 10 ? 3600 * 24 : i < 20 ? week + 3600 : 3600 - i), now - (i < 10 ? 3600 * 24 : i < 20 ? week + 3600 : 3600 - i));
    }
    const result = await app.run(app.write('exit.js', `${init()}\nreportPixel('newest');\nprocess.exit(0);\n`), { env: { INGEST: ingest().url } });
    expect(result.code).toBe(0);
    const names = readdirSync(spool);
    expect(names.length).toBeLessThanOrEqual(100);
    const bytes = names.reduce((sum, name) => sum + statSync(join(spool, name)).size, 0);
    expect(bytes).toBeLessThanOrEqual(5 * 1024 * 1024);
    for (let i = 10; i < 20; i++) expect(names).not.toContain(`${fake(i)}.json`);
    expect(names.some((name) => JSON.parse(readFileSync(join(spool, name), 'utf8')).message === 'newest')).toBe(true);
  });
});

describe('spool location', () => {
  it('is <cache>/ez-pixel/spool/<sha256(key)[:16]> with EZ_PIXEL_CACHE_DIR, then XDG_CACHE_HOME, then ~/.cache', () => {
    const hash = createHash('sha256').update(KEY).digest('hex').slice(0, 16);
    expect(spoolDirectory(KEY, { EZ_PIXEL_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x' })).toBe(`/c/ez-pixel/spool/${hash}`);
    expect(spoolDirectory(KEY, { XDG_CACHE_HOME: '/x' })).toBe(`/x/ez-pixel/spool/${hash}`);
    expect(spoolDirectory(KEY, { HOME: '/home/dev' })).toBe(`/home/dev/.cache/ez-pixel/spool/${hash}`);
  });
});
