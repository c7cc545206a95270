// Several processes reading one spool folder (node:cluster, pm2, a restart overlapping the old
// process) send each spooled event once: a process claims a file by renaming it to
// <event_id>.json.claimed-<pid>-<unix seconds> before sending it (spec/README.md "Spool"), and a
// claim left by a dead process, or older than an hour, is taken over.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeApp, type AppDir } from './helpers/child-app.js';
import { cjsEntry } from './helpers/build.js';
import { IngestServer, refusingUrl, useIngestServer } from './helpers/ingest-server.js';

const ingest = useIngestServer();

const KEY = 'pk_test_claim';
const spoolOf = (app: AppDir) => join(app.cacheDir, 'ez-pixel', 'spool', createHash('sha256').update(KEY).digest('hex').slice(0, 16));
const init = (options = '') => `const { initPixel, reportPixel, flushPixel } = require(${JSON.stringify(cjsEntry)});
initPixel({ projectKey: '${KEY}', ingestUrl: process.env.INGEST, ${options} });`;
/** Above Linux's default pid_max (2^22), so no live process holds it. */
const DEAD_PID = 2 ** 22 + 1;
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Spools `count` events (the ingest is down, the process exits at once); returns their ids. */
async function spoolEvents(app: AppDir, count: number): Promise<string[]> {
  const down = await refusingUrl();
  const script = `${init()}\nconst ids = [];\nfor (let n = 0; n < ${count}; n++) ids.push(reportPixel('spooled ' + n));\nconsole.log(JSON.stringify(ids));\nprocess.exit(0);\n`;
  const result = await app.run(app.write('spool.js', script), { env: { INGEST: down } });
  expect(result.code, result.stderr).toBe(0);
  const ids: string[] = JSON.parse(result.stdout);
  expect(readdirSync(spoolOf(app)).sort()).toEqual(ids.map((id) => `${id}.json`).sort());
  return ids;
}

describe('spool claim', () => {
  it('a node:cluster primary and 3 workers sharing one spool folder send each spooled event exactly once', async () => {
    const app = makeApp();
    const ids = await spoolEvents(app, 5);
    // An ingest that takes its time: every process has started and read the folder while the
    // first requests are still open, so without a claim each would send every file.
    const slow = await IngestServer.start();
    slow.fallback = { status: 200, delayMs: 400 };
    try {
      const script = `const cluster = require('node:cluster');
${init()}
if (cluster.isPrimary) {
  const codes = [];
  for (let n = 0; n < 3; n++) cluster.fork().on('exit', (code) => { codes.push(code); if (codes.length === 3) flushPixel(5000).then((ok) => console.log(JSON.stringify({ codes, ok }))); });
} else {
  setTimeout(() => flushPixel(5000).then((ok) => process.exit(ok ? 0 : 3)), 300);
}
`;
      const result = await app.run(app.write('cluster.js', script), { env: { INGEST: slow.url }, timeoutMs: 60_000 });
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({ codes: [0, 0, 0], ok: true });
      expect(slow.events.map((event) => event.event_id).sort()).toEqual([...ids].sort());
      expect(readdirSync(spoolOf(app))).toEqual([]);
    } finally {
      await slow.close();
    }
  });

  it('takes over a claim whose process is gone or that is older than an hour, and leaves a live one alone', async () => {
    const app = makeApp();
    const [deadClaim, oldClaim, liveClaim] = await spoolEvents(app, 3);
    const spool = spoolOf(app);
    const claimAs = (id: string, pid: number, seconds: number) => {
      const claimed = join(spool, `${id}.json.claimed-${pid}-${seconds}`);
      renameSync(join(spool, `${id}.json`), claimed);
      return claimed;
    };
    claimAs(deadClaim!, DEAD_PID, nowSeconds());
    claimAs(oldClaim!, process.pid, nowSeconds() - 3601);
    const live = claimAs(liveClaim!, process.pid, nowSeconds());
    const before = ingest().received.length;
    const next = await app.run(app.write('next.js', `${init()}\nsetTimeout(() => flushPixel(5000).then((ok) => console.log(ok)), 100);\n`), { env: { INGEST: ingest().url } });
    expect(next.stdout.trim(), next.stderr).toBe('true');
    expect(ingest().events.slice(before).map((event) => event.event_id).sort()).toEqual([deadClaim, oldClaim].sort());
    expect(readdirSync(spool)).toEqual([live.slice(spool.length + 1)]);
  });

  it('gives a claimed event back to the spool when the process ends before it is delivered', async () => {
    const app = makeApp();
    const [id] = await spoolEvents(app, 1);
    const blackhole = await IngestServer.start();
    blackhole.fallback = 'stall';
    try {
      // The request is open (the ingest never answers) when the app exits: the app exits once the
      // test, having seen the request arrive, creates the file it waits for (no fixed delay, which
      // a loaded machine could outrun).
      const go = join(app.dir, 'go');
      const script = `${init('shutdownTimeoutMs: 300')}\nconst { existsSync } = require('node:fs');\nsetInterval(() => existsSync(${JSON.stringify(go)}) && process.exit(0), 20);\n`;
      const running = app.run(app.write('exit.js', script), { env: { INGEST: blackhole.url }, timeoutMs: 60_000 });
      await blackhole.waitFor(1, 30_000);
      writeFileSync(go, '');
      const result = await running;
      expect(result.code, result.stderr).toBe(0);
      expect(blackhole.events.map((event) => event.event_id)).toEqual([id]);
      expect(readdirSync(spoolOf(app))).toEqual([`${id}.json`]);
    } finally {
      await blackhole.close();
    }
  });

  it('counts claimed files in the spool limits and expires them after 7 days', async () => {
    const app = makeApp();
    const spool = spoolOf(app);
    mkdirSync(spool, { recursive: true });
    const fake = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const weekAgo = nowSeconds() - 7 * 24 * 3600 - 3600;
    // An expired claim of a live process, and 100 recent claims: the limit keeps 100 files.
    const expired = join(spool, `${fake(0)}.json.claimed-${process.pid}-${nowSeconds()}`);
    writeFileSync(expired, JSON.stringify({ event_id: fake(0) }));
    utimesSync(expired, weekAgo, weekAgo);
    for (let i = 1; i <= 100; i++) writeFileSync(join(spool, `${fake(i)}.json.claimed-${process.pid}-${nowSeconds()}`), JSON.stringify({ event_id: fake(i) }));
    const result = await app.run(app.write('exit.js', `${init()}\nreportPixel('newest');\nprocess.exit(0);\n`), { env: { INGEST: ingest().url } });
    expect(result.code, result.stderr).toBe(0);
    const names = readdirSync(spool);
    expect(names).toHaveLength(100);
    expect(names).not.toContain(expired.slice(spool.length + 1));
    expect(names.filter((name) => name.endsWith('.json'))).toHaveLength(1);
  });
});
