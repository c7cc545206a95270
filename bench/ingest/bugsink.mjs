// The peer: Bugsink (PyPI `bugsink`, Django + SQLite, a self-hosted tracker on one machine), fed raw
// Sentry envelopes on loopback by the same client that feeds `ez-pixel listen`
// (bench/lib/http-client.mjs): 64 concurrent connections, kept alive where the server keeps them,
// the same number of events in the same number of groups. Bugsink runs with its `local` template
// (digest in the request: TASK_ALWAYS_EAGER, so a 200 means grouped and stored) under gunicorn
// with one worker per core. It lives in bench/.venv-bugsink only.
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Connection, postBytes } from '../lib/http-client.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bench = join(root, 'bench');
const venv = join(bench, '.venv-bugsink');
const python = process.env.EZ_PIXEL_PYTHON ?? 'python3';
const json = process.argv.includes('--json');
const log = (text) => process.stderr.write(`bench bugsink: ${text}\n`);
const total = 1000;
const groups = 50;
const concurrency = 64;

function ensureVenv() {
  const requirements = join(bench, 'requirements-bugsink.txt');
  const stamp = join(venv, '.requirements');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === readFileSync(requirements, 'utf8')) return;
  log('installing Bugsink into bench/.venv-bugsink');
  execFileSync(python, ['-m', 'venv', venv], { stdio: 'inherit' });
  execFileSync(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', '-r', requirements], { stdio: 'inherit' });
  execFileSync('cp', [requirements, stamp]);
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Sends every body with `concurrency` connections; returns events per second (all must be 2xx). */
async function feed(url, bodies, headers) {
  const requests = bodies.map((body) => postBytes(url, body, headers));
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const connection = new Connection(url);
      while (next < requests.length) {
        const { status } = await connection.send(requests[next++]);
        if (status < 200 || status > 299) throw new Error(`${url}: status ${status}`);
      }
      connection.close();
    }),
  );
  return bodies.length / (Number(process.hrtime.bigint() - started) / 1e9);
}

async function bugsinkRate() {
  ensureVenv();
  const dir = mkdtempSync(join(tmpdir(), 'ez-pixel-bench-bugsink-'));
  const port = await freePort();
  const env = { ...process.env, DJANGO_SETTINGS_MODULE: 'bugsink_conf', PYTHONPATH: dir };
  const bin = (name) => join(venv, 'bin', name);
  const conf = join(dir, 'bugsink_conf.py');
  execFileSync(bin('bugsink-create-conf'), ['--template=local', `--port=${port}`, '--host=127.0.0.1', '-o', conf], { cwd: dir, env, stdio: 'ignore' });
  // Its default quotas (1,000 events per 5 minutes) would answer 429 long before the run ends.
  const quotas = ['MAX_EVENTS_PER_PROJECT_PER_5_MINUTES', 'MAX_EVENTS_PER_PROJECT_PER_HOUR', 'MAX_EVENTS_PER_5_MINUTES', 'MAX_EVENTS_PER_HOUR'];
  appendFileSync(conf, quotas.map((name) => `BUGSINK[${JSON.stringify(name)}] = 10**9\n`).join(''));
  log('migrating its database');
  execFileSync(bin('bugsink-manage'), ['migrate', '-v0'], { cwd: dir, env, stdio: 'ignore' });
  const dsn = execFileSync(bin('bugsink-manage'), ['shell', '-c', "from projects.models import Project; print(Project.objects.create(name='bench').dsn)"], { cwd: dir, env, encoding: 'utf8' })
    .trim().split('\n').at(-1);
  const { username: key, pathname } = new URL(dsn);
  const server = spawn(bin('gunicorn'), ['--bind', `127.0.0.1:${port}`, '--workers', String(cpus().length), 'bugsink.wsgi'], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    await new Promise((resolve, reject) => {
      createInterface({ input: server.stderr }).on('line', (line) => /Booting worker/.test(line) && resolve());
      server.once('exit', (code) => reject(new Error(`gunicorn exited ${code}`)));
    });
    const url = `http://127.0.0.1:${port}/api${pathname}/envelope/`;
    const headers = { 'content-type': 'application/x-sentry-envelope', 'x-sentry-auth': `Sentry sentry_key=${key}, sentry_version=7` };
    const envelope = (i) => {
      const id = randomUUID().replace(/-/g, '');
      const event = {
        event_id: id, timestamp: Date.now() / 1000, platform: 'node', level: 'error',
        exception: { values: [{ type: `Error${i % groups}`, value: "Cannot read properties of undefined (reading 'total')",
          stacktrace: { frames: [{ filename: 'src/orders.js', function: 'priceOrder', lineno: 12, colno: 20, in_app: true }] } }] },
      };
      return `${JSON.stringify({ event_id: id })}\n${JSON.stringify({ type: 'event' })}\n${JSON.stringify(event)}\n`;
    };
    // Warm both workers up (Django imports lazily) before timing.
    await feed(url, Array.from({ length: 20 }, (_, i) => envelope(i)), headers);
    log(`sending ${total} envelopes`);
    const rate = await feed(url, Array.from({ length: total }, (_, i) => envelope(i)), headers);
    const counted = execFileSync(bin('bugsink-manage'), ['shell', '-c', 'from issues.models import Issue; print(Issue.objects.count())'], { cwd: dir, env, encoding: 'utf8' });
    return { rate, issues: Number(counted.trim().split('\n').at(-1)) };
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function oursRate() {
  const dir = mkdtempSync(join(tmpdir(), 'ez-pixel-bench-listen-'));
  const child = spawn(process.execPath, [join(root, 'bin', 'ez-pixel.js'), 'listen', '--port', '0', '--database', join(dir, 'events.db')], { stdio: ['ignore', 'pipe', 'ignore'] });
  const lines = createInterface({ input: child.stdout });
  const url = (await new Promise((resolve) => lines.once('line', resolve))).replace('listening on ', '');
  const event = (i) => JSON.stringify({
    event_id: randomUUID(), project_key: 'pk_test_bench', fingerprint: (i % groups).toString(16).padStart(16, '0'),
    type: `Error${i % groups}`, message: "Cannot read properties of undefined (reading 'total')",
    stack: [{ file: 'src/orders.js', line: 12, col: 20, fn: 'priceOrder', in_app: true }], code_context: null,
    runtime: 'node-20.20.2', manual_report: false, level: 'error', occurred_at: '2026-04-29T14:22:01Z',
  });
  try {
    await feed(url, Array.from({ length: 20 }, (_, i) => event(i)), { 'content-type': 'application/json' });
    return await feed(url, Array.from({ length: total }, (_, i) => event(i)), { 'content-type': 'application/json' });
  } finally {
    child.kill('SIGINT');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

const ours = await oursRate();
const peer = await bugsinkRate();
const rows = [{
  what: `durable ingest with grouping, concurrency ${concurrency}`,
  ours: Math.round(ours), peer: Math.round(peer.rate), peer_name: 'Bugsink (SQLite)', unit: 'events/s',
  ratio: Math.round((ours / peer.rate) * 10) / 10, target: 'above the peer', met: ours > peer.rate,
  note: `${total} events in ${groups} groups (Bugsink made ${peer.issues} issues); ez-pixel listen vs Bugsink under gunicorn ×${cpus().length}; load average ${loadavg()[0].toFixed(1)}`,
}];
if (json) process.stdout.write(`${JSON.stringify(rows)}\n`);
else for (const row of rows) process.stdout.write(`${row.what}: ours ${row.ours}, Bugsink ${row.peer} ${row.unit} (×${row.ratio}); ${row.note}\n`);
