// What `ez-pixel --help` adds to a bare `node -e 0` start, against what `sentry-wizard --help` adds,
// all alternating in one run. Also shown: the start through the bundled commander program (a
// usage error), which every command pays; `--help` itself is pre-rendered (bin/ez-pixel.js).
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { alternate, emit, overhead } from '../lib/measure.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = `${root}bin/ez-pixel.js`;
const wizard = `${root}bench/node_modules/@sentry/wizard/dist/bin.js`;
if (!existsSync(`${root}dist/help.json`)) throw new Error('run `npm run build` first');

const TARGET_MS = 15;
const TARGET_RATIO = 1 / 20;

const commands = {
  bare: { argv: [process.execPath, '-e', '0'] },
  ours: { argv: [process.execPath, cli, '--help'] },
  program: { argv: [process.execPath, cli, 'install', '--no-such-flag'], options: { allowFailure: true } },
};
if (existsSync(wizard)) commands.peer = { argv: [process.execPath, wizard, '--help'] };

const t = alternate(commands, 41);
const ours = overhead(t.ours, t.bare);
const program = overhead(t.program, t.bare);
const peer = t.peer ? overhead(t.peer, t.bare) : null;
// Under load a median overhead can come out below zero; the ratio of that is 0, not a negative.
const ratio = peer ? Math.max(0, ours.median) / peer.median : null;
const ms = (value) => `${value.toFixed(1)} ms`;
const range = ({ min, max }) => `${min.toFixed(1)}–${max.toFixed(1)} ms`;

emit([
  {
    what: 'ez-pixel --help, over a bare node start',
    ours: Number(ours.median.toFixed(1)),
    peer: peer ? Number(peer.median.toFixed(1)) : null,
    peer_name: peer ? 'sentry-wizard --help, over a bare node start' : null,
    unit: 'ms',
    ratio: ratio == null ? null : Number(ratio.toFixed(4)),
    target: `≤ ${TARGET_MS} ms, ≤ 1/${1 / TARGET_RATIO} of peer`,
    met: ours.median <= TARGET_MS && (ratio == null || ratio <= TARGET_RATIO),
    note: `medians of ${ours.runs} alternating rounds of (command − node -e 0); spread ${range(ours)}` +
      (peer ? `, peer ${range(peer)}` : ' (peer not installed: npm ci in bench/)') +
      `; bare node ${ms(t.bare.median)} (load average ${loadavg()[0].toFixed(1)}); the bundled program's own start (a usage error, through commander) adds ${ms(program.median)}` +
      (t.bare.cpuMs == null ? '' : `; CPU time over bare node, mean per run: ours ${ms(t.ours.cpuMs - t.bare.cpuMs)}, program ${ms(t.program.cpuMs - t.bare.cpuMs)}${peer ? `, peer ${ms(t.peer.cpuMs - t.bare.cpuMs)}` : ''}`),
  },
]);
