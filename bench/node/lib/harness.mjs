// Shared by the bench/node/*.mjs benchmarks: where the two SDKs are, child processes that run
// a small script with one SDK or the other, and a local ingest on 127.0.0.1 that accepts both
// ez-pixel events and Sentry envelopes (answering 200) or accepts and never answers.
// (This folder holds no benchmarks itself: bench/run.mjs runs only bench/node/*.mjs.)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../..', import.meta.url));
const bench = `${root}bench/`;
export const OURS = `${root}runtimes/node/dist/cjs/index.js`;

export function prepare() {
  if (!existsSync(OURS)) throw new Error('build the SDK first: npm run build (or npm run build in runtimes/node)');
  if (!existsSync(`${bench}node_modules`)) {
    spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: bench, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  let sentry = null;
  try {
    sentry = createRequire(`${bench}package.json`).resolve('@sentry/node');
  } catch {
    // Peer missing: figures are reported without it.
  }
  return { ours: OURS, sentry };
}

const scratch = mkdtempSync(join(tmpdir(), 'ez-pixel-bench-'));
export const cacheDir = join(scratch, 'cache');

/** Writes a CommonJS child script and returns its path. */
export function childScript(name, source) {
  const path = join(scratch, `${name}.cjs`);
  writeFileSync(path, source);
  return path;
}

/** Runs node with args; resolves { code, stdout, stderr, ms }. Async, so a server in this process keeps answering. */
export function runNode(args, env = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { cwd: scratch, env: { ...process.env, NODE_OPTIONS: '', EZ_PIXEL_CACHE_DIR: cacheDir, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const marks = [];
    child.stdout.on('data', (d) => {
      const now = process.hrtime.bigint();
      for (const line of String(d).split('\n')) if (line.startsWith('MARK')) marks.push(now);
      stdout += d;
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ended = process.hrtime.bigint();
      resolve({ code, stdout, stderr, ms: Number(ended - started) / 1e6, sinceMarkMs: marks.length ? Number(ended - marks[0]) / 1e6 : null });
    });
  });
}

/** A local ingest. mode 'ok': 200 to everything; 'blackhole': accepts and never answers. */
export async function startIngest(mode = 'ok') {
  const sockets = new Set();
  const state = { received: 0 };
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      state.received++;
      if (mode === 'ok') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return {
    state,
    ingestUrl: `http://127.0.0.1:${port}/ingest`,
    dsn: `http://0123456789abcdef0123456789abcdef@127.0.0.1:${port}/1`,
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(r);
      }),
  };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const round = (n, digits = 1) => (n == null ? null : Number(n.toFixed(digits)));
export const range = (values, digits = 1, unit = '') => `${round(Math.min(...values), digits)}–${round(Math.max(...values), digits)}${unit}`;

/** Runs each named async measurement `runs` times, alternating, after one warm-up each. */
export async function alternate(measurements, runs = 7) {
  const results = Object.fromEntries(Object.keys(measurements).map((k) => [k, []]));
  for (const measure of Object.values(measurements)) await measure();
  for (let i = 0; i < runs; i++) for (const [name, measure] of Object.entries(measurements)) results[name].push(await measure());
  return results;
}

/** Prints rows as JSON with --json (for bench/run.mjs), else as a readable table. */
export function emit(rows) {
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(rows)}\n`);
    return;
  }
  for (const r of rows) {
    const peer = r.peer == null ? 'peer: n/a' : `${r.peer_name}: ${r.peer} ${r.unit} (ratio ${r.ratio})`;
    process.stdout.write(`${r.met ? 'met ' : 'MISS'} | ${r.what}: ${r.ours} ${r.unit} | ${peer} | target ${r.target}\n       ${r.note}\n`);
  }
}
