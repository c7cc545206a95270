// The ingest on its embedded store (SQLite), through the built CLI as a user runs it:
//   - `ez-pixel listen` restart time (spawn → "listening on") on a database of 100k and 1M events;
//   - its RSS with 1M events, after taking events and serving the issue list;
//   - the ingest rate with 64 concurrent keep-alive clients;
//   - POST latency (p99) while 4 clients keep reading 1,000 large events each.
// The large databases are generated directly into SQLite (cached in bench/.data/, gitignored).
// The "today" figures in the notes are the JSONL store's, from issue 12's fault probe.
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Connection, postBytes } from '../lib/http-client.mjs';
import { median } from '../lib/measure.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
// EZ_PIXEL_CLI=<another checkout>/bin/ez-pixel.js measures that build instead (A/B runs in one window).
const cli = process.env.EZ_PIXEL_CLI ?? join(root, 'bin', 'ez-pixel.js');
const Database = createRequire(join(root, 'package.json'))('better-sqlite3');
const dataDir = join(root, 'bench', '.data');
const json = process.argv.includes('--json');
const jsonType = { 'content-type': 'application/json' };
const log = (text) => process.stderr.write(`bench ingest: ${text}\n`);

const event = (overrides = {}) => ({
  event_id: randomUUID(),
  project_key: 'pk_test_bench',
  fingerprint: '41a4d6ea2a3e52f2',
  type: 'TypeError',
  message: "Cannot read properties of undefined (reading 'total')",
  stack: [
    { file: 'node_modules/express/lib/router/layer.js', line: 95, col: 5, fn: 'Layer.handle', in_app: false },
    { file: 'src/orders.js', line: 12, col: 20, fn: 'priceOrder', in_app: true },
  ],
  code_context: { file: 'src/orders.js', error_line: 12, lines: ['function priceOrder(order) {', '  return order.items.total * 1.2;', '}'] },
  runtime: 'node-20.20.2',
  manual_report: false,
  level: 'error',
  occurred_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  ...overrides,
});

/** Starts `listen` on `database`; resolves with its URL and the ms from spawn to its first line. */
function startListen(database) {
  const started = process.hrtime.bigint();
  // PROFILE_LISTEN=dir writes the listener's CPU profile there (node --cpu-prof), to see where its time goes.
  const profile = process.env.PROFILE_LISTEN ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PROFILE_LISTEN}`] : [];
  const child = spawn(process.execPath, [...profile, cli, 'listen', '--port', '0', '--database', database], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.resume();
  let stderr = '';
  child.stderr.on("data", (chunk) => { stderr += chunk; if (process.env.SHOW_ERR) process.stderr.write(chunk); });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const url = line.replace('listening on ', '');
      resolve({ child, url, origin: url.replace(/\/ingest$/, ''), ms, cpuMs: cpuMs(child.pid), stop: () => stop(child) });
    });
    child.once('exit', (code) => reject(new Error(`listen exited ${code}: ${stderr}`)));
  });
}

function stop(child) {
  return new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGINT');
  });
}

/** CPU time (user + system) a process has used so far: on a loaded machine, steadier than wall time. */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** What a bare `node -e 0` takes here now: the floor under any restart. */
function bareNodeMs() {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const started = process.hrtime.bigint();
    execFileSync(process.execPath, ['-e', '0']);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return median(times);
}

function rssMb(pid) {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : null;
}

/** A database of `total` events in issues of 200 (within the default retention), written directly. */
async function generated(total) {
  const path = join(dataDir, `events-${total}.db`);
  if (existsSync(path)) return path;
  mkdirSync(dataDir, { recursive: true });
  const building = `${path}.building`;
  rmSync(building, { force: true });
  const schema = await startListen(building);
  await schema.stop();
  log(`generating ${total} events into ${path}`);
  const db = new Database(building);
  db.pragma('synchronous = OFF');
  const perIssue = 200;
  const insertIssue = db.prepare(
    "INSERT INTO issues (id, project_key, fingerprint, type, message, level, count, first_seen, last_seen) VALUES (?, 'pk_test_bench', ?, 'TypeError', ?, 'error', ?, ?, ?)",
  );
  const insertEvent = db.prepare('INSERT INTO events (event_id, issue_id, position, received_at, body) VALUES (?, ?, ?, ?, ?)');
  const at = new Date().toISOString();
  const fill = db.transaction((from, to) => {
    for (let issue = from; issue < to; issue++) {
      const fingerprint = issue.toString(16).padStart(16, '0');
      insertIssue.run(issue + 1, fingerprint, `error number ${issue}`, perIssue, at, at);
      for (let position = 1; position <= perIssue; position++) {
        const body = event({ fingerprint, message: `error number ${issue}` });
        insertEvent.run(body.event_id, issue + 1, position, at, JSON.stringify(body));
      }
    }
  });
  const issues = total / perIssue;
  for (let from = 0; from < issues; from += 500) fill(from, Math.min(issues, from + 500));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  renameSync(building, path);
  return path;
}

function get(agent, url) {
  return new Promise((resolve, reject) => {
    request(url, { agent }, (res) => {
      res.resume();
      res.on('end', resolve);
      res.on('error', reject);
    }).on('error', reject).end();
  });
}

async function restartRows() {
  const rows = [];
  for (const total of [100_000, 1_000_000]) {
    const path = await generated(total);
    const times = [];
    const cpu = [];
    let rss = null;
    for (let i = 0; i < 7; i++) {
      const listener = await startListen(path);
      times.push(listener.ms);
      cpu.push(listener.cpuMs);
      if (total === 1_000_000 && i === 6) {
        const agent = new Agent({ keepAlive: true, maxSockets: 8 });
        const connection = new Connection(listener.url);
        for (let j = 0; j < 1000; j++) await connection.send(postBytes(listener.url, JSON.stringify(event({ fingerprint: '00000000000000ff' })), jsonType));
        connection.close();
        await get(agent, `${listener.origin}/api/issues`);
        await get(agent, `${listener.origin}/events?limit=1000`);
        agent.destroy();
        rss = rssMb(listener.child.pid);
      }
      await listener.stop();
    }
    const ms = median(times);
    rows.push({
      what: `listen restart, ${total.toLocaleString('en')} events`, ours: Math.round(ms), peer: null, peer_name: null, unit: 'ms',
      ratio: null, target: '≤ 200 ms', met: ms <= 200,
      note: `median of 7 (${Math.round(Math.min(...times))}–${Math.round(Math.max(...times))}), CPU ${Math.round(median(cpu))} ms; a bare node start ${Math.round(bareNodeMs())} ms now (load ${loadavg()[0].toFixed(1)}); today (JSONL): ${total === 100_000 ? '1.9 s' : 'does not start'}`,
    });
    if (rss !== null) {
      rows.push({
        what: 'listen RSS, 1,000,000 events', ours: Math.round(rss), peer: null, peer_name: null, unit: 'MB', ratio: null,
        target: '≤ 120 MB', met: rss <= 120, note: 'after 1,000 POSTs, the issue list and a 1,000-event read; today (JSONL): 308 MB at 100k',
      });
    }
  }
  return rows;
}

async function ingestRate() {
  const dir = mkdtempSync(join(tmpdir(), 'ez-pixel-bench-ingest-'));
  const listener = await startListen(join(dir, 'events.db'));
  const total = 20_000;
  const requests = Array.from({ length: total }, (_, i) =>
    postBytes(listener.url, JSON.stringify(event({ fingerprint: (i % 50).toString(16).padStart(16, '0') })), jsonType),
  );
  let next = 0;
  const serverCpuBefore = cpuMs(listener.child.pid);
  const clientCpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const worker = async () => {
    const connection = new Connection(listener.url);
    while (next < total) {
      const { status } = await connection.send(requests[next++]);
      if (status !== 201) throw new Error(`status ${status}`);
    }
    connection.close();
  };
  await Promise.all(Array.from({ length: 64 }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // CPU per event is the figure to drive down: on 2 shared cores it is far steadier than events/s.
  const serverUs = ((cpuMs(listener.child.pid) - serverCpuBefore) * 1000) / total;
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const clientUs = (clientCpu.user + clientCpu.system) / total;
  const load = loadavg()[0].toFixed(1);
  await listener.stop();
  rmSync(dir, { recursive: true, force: true });
  const rate = total / seconds;
  return {
    what: 'ingest at concurrency 64 (SQLite, durable)', ours: Math.round(rate), peer: null, peer_name: null, unit: 'events/s', ratio: null,
    target: '≥ 5,000 events/s', met: rate >= 5000, note: `${total} events, 2xx only after the synced commit; server CPU ${Math.round(serverUs)} µs/event, bench client ${Math.round(clientUs)} µs/event, on the same 2 cores (load ${load}); today (JSONL): 1,870`,
  };
}

async function postLatencyUnderReads() {
  const dir = mkdtempSync(join(tmpdir(), 'ez-pixel-bench-reads-'));
  const listener = await startListen(join(dir, 'events.db'));
  const padding = 'x'.repeat(20 * 1024);
  const connection = new Connection(listener.url);
  // In 10 issues of 100, within the default retention (first 10 + latest 200 of each): every read
  // really is of 1,000 large events, however many POSTs (in an issue of their own) arrive meanwhile.
  for (let i = 0; i < 1000; i++) {
    const large = event({ fingerprint: `00000000000000a${i % 10}`, context: { padding } });
    await connection.send(postBytes(listener.url, JSON.stringify(large), jsonType));
  }
  const readers = spawn(process.execPath, [join(root, 'bench', 'lib', 'readers.mjs'), `${listener.origin}/events?limit=1000`, '4'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: readers.stdout });
  const output = [];
  lines.on('line', (line) => output.push(line));
  await new Promise((resolve) => lines.once('line', resolve));
  await new Promise((resolve) => setTimeout(resolve, 200));
  const latencies = [];
  for (let i = 0; i < 400; i++) latencies.push((await connection.send(postBytes(listener.url, JSON.stringify(event()), jsonType))).ms);
  connection.close();
  readers.stdin.end();
  const exitCode = await new Promise((resolve) => readers.once('exit', resolve));
  if (exitCode !== 0) throw new Error(`the readers exited ${exitCode}`);
  const { reads, bytes } = JSON.parse(output.at(-1));
  const load = loadavg()[0].toFixed(1);
  await listener.stop();
  rmSync(dir, { recursive: true, force: true });
  const sorted = latencies.sort((a, b) => a - b);
  const p99 = sorted[Math.floor(sorted.length * 0.99) - 1];
  return {
    what: 'POST p99 while 4 large reads run', ours: Math.round(p99 * 10) / 10, peer: null, peer_name: null, unit: 'ms', ratio: null,
    target: '≤ 50 ms', met: p99 <= 50,
    note: `400 POSTs, median ${Math.round(median(latencies) * 10) / 10} ms; meanwhile ${reads} reads of 1,000 × 20 KiB events (${Math.round(bytes / 2 ** 20)} MiB) by 4 clients in another process (load ${load}); today (JSONL): 16 s`,
  };
}

// `--only=restart,rate,reads` runs some of the rows (while working on one of them).
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',');
const sections = { restart: restartRows, rate: ingestRate, reads: postLatencyUnderReads };
const rows = [];
for (const [name, section] of Object.entries(sections)) if (!only || only.includes(name)) rows.push(...[await section()].flat());
if (json) process.stdout.write(`${JSON.stringify(rows)}\n`);
else for (const row of rows) process.stdout.write(`${row.what}: ${row.ours} ${row.unit} (target ${row.target}) ${row.note}\n`);
