// `npm run bench`: runs every benchmark under bench/ and prints one table (markdown, ready for
// the README's Performance section). Each script prints a JSON array of rows with --json.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

const bench = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('..', import.meta.url));
const python = process.env.EZ_PIXEL_PYTHON ?? 'python3';

function run(argv, cwd = root) {
  process.stderr.write(`bench: ${argv.slice(1).join(' ')}\n`);
  const result = spawnSync(argv[0], argv.slice(1), { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
  return result;
}

if (!existsSync(`${root}dist/help.json`) || !existsSync(`${root}artifacts`)) run(['npm', 'run', '--silent', 'build']);
if (!existsSync(`${bench}node_modules`)) run(['npm', 'ci', '--no-audit', '--no-fund', '--loglevel=error'], bench);

const scripts = [];
for (const group of ['cli', 'node', 'browser', 'python', 'ingest']) {
  const dir = `${bench}${group}`;
  if (!existsSync(dir)) continue;
  for (const file of readdirSync(dir).sort()) {
    if (file.endsWith('.mjs') && file !== 'lib.mjs') scripts.push([process.execPath, `${dir}/${file}`, '--json']);
    else if (file.endsWith('.py') && !file.startsWith('_')) scripts.push([python, `${dir}/${file}`, '--json']);
  }
}

const rows = [];
for (const argv of scripts) {
  const result = run(argv);
  const name = argv[1].slice(bench.length);
  try {
    if (result.status !== 0) throw new Error(`exit ${result.status}`);
    rows.push(...JSON.parse(result.stdout.trim().split('\n').at(-1)));
  } catch (error) {
    rows.push({ what: name, ours: null, peer: null, peer_name: null, unit: '', ratio: null, target: '', met: false, note: `benchmark failed: ${error.message}` });
  }
}

const cell = (v) => (v == null ? '—' : String(v));
const lines = [
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
  '',
  '| what | ez-pixel | peer | peer figure | ratio | target | met | notes |',
  '|---|---|---|---|---|---|---|---|',
  ...rows.map((r) =>
    `| ${r.what} | ${cell(r.ours)} ${r.unit} | ${cell(r.peer_name)} | ${r.peer == null ? '—' : `${r.peer} ${r.unit}`} | ${cell(r.ratio)} | ${r.target} | ${r.met ? 'yes' : '**no**'} | ${r.note} |`),
];
process.stdout.write(`${lines.join('\n')}\n`);
process.exitCode = rows.every((r) => r.met) ? 0 : 1;
