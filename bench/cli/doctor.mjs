// `ez-pixel doctor --no-send` on the example app after a real install. Target: 1.5 s or less.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alternate, emit, spread } from '../lib/measure.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = `${root}bin/ez-pixel.js`;
const work = mkdtempSync(join(tmpdir(), 'ez-pixel-bench-doctor-'));
try {
  cpSync(join(root, 'examples', 'node-app'), work, { recursive: true });
  const install = spawnSync(process.execPath, [cli, 'install', '--yes', '--cwd', work], { stdio: 'pipe' });
  if (install.status !== 0) throw new Error(`install failed: ${install.stderr}`);
  const argv = [process.execPath, cli, 'doctor', '--no-send', '--cwd', work];
  const t = alternate({ ours: { argv, options: { allowFailure: true } } }, 7);
  emit([{
    what: 'doctor --no-send on the example app',
    ours: Math.round(t.ours.median),
    peer: null, peer_name: null, unit: 'ms', ratio: null,
    target: '≤ 1500 ms',
    met: t.ours.median <= 1500,
    note: `median of ${t.ours.runs} runs; spread ${spread(t.ours)}`,
  }]);
} finally {
  rmSync(work, { recursive: true, force: true });
}
