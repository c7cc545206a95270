// `npm run demo`: the main job end to end. Copies examples/node-app to a temporary directory,
// starts `ez-pixel listen`, runs `ez-pixel install --yes` on the copy, checks it with
// `ez-pixel doctor`, runs the app until it crashes, and waits for the crash at the listener.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'bin', 'ez-pixel.js');
const say = (text) => process.stderr.write(`\n\x1b[1mdemo:\x1b[0m ${text}\n`);

function runOrFail(title, argv, options) {
  say(`${title}\n  $ ${argv.join(' ')}`);
  const result = spawnSync(argv[0], argv.slice(1), { stdio: 'inherit', ...options });
  return result.status;
}

if (runOrFail('building the CLI and the SDK artifacts', ['npm', 'run', '--silent', 'build'], { cwd: root }) !== 0) {
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'ez-pixel-demo-'));
const app = join(work, 'node-app');
cpSync(join(root, 'examples', 'node-app'), app, { recursive: true });
say(`copied examples/node-app to ${app}`);

const listener = spawn(process.execPath, [cli, 'listen', '--port', '0', '--database', join(work, 'events.db')], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const lines = createInterface({ input: listener.stdout });
const firstLine = await new Promise((resolve) => lines.once('line', resolve));
const ingestUrl = firstLine.replace(/^listening on /, '').trim();
say(`ez-pixel listen is up: ${ingestUrl}`);

let eventArrived;
const arrival = new Promise((resolve) => (eventArrived = resolve));
lines.on('line', (line) => {
  process.stdout.write(`[listen] ${line}\n`);
  if (line.includes('TypeError')) eventArrived();
});

let exitCode = 1;
try {
  const installed = runOrFail('wiring ez-pixel into the app', [process.execPath, cli, 'install', '--yes', '--cwd', app, '--ingest-url', ingestUrl], { cwd: app });
  if (installed !== 0) throw new Error(`ez-pixel install exited with ${installed}`);

  const healthy = runOrFail('checking the wiring, with a live test event', [process.execPath, cli, 'doctor', '--cwd', app], { cwd: app });
  if (healthy !== 0) throw new Error(`ez-pixel doctor exited with ${healthy}`);

  const crashed = runOrFail('running the app (it crashes on a broken order)', [process.execPath, 'index.js'], { cwd: app });
  say(`the app exited with code ${crashed}, as Node does on an uncaught exception`);

  const timeout = new Promise((resolve) => setTimeout(resolve, 10_000, 'timeout'));
  if ((await Promise.race([arrival, timeout])) === 'timeout') throw new Error('no event reached ez-pixel listen within 10 s');
  say('the crash arrived at ez-pixel listen. Done.');
  exitCode = 0;
} catch (error) {
  say(`failed: ${error.message}`);
} finally {
  const stopped = new Promise((resolve) => listener.once('exit', resolve));
  listener.kill('SIGINT');
  await stopped;
  rmSync(work, { recursive: true, force: true });
}
process.exitCode = exitCode;
