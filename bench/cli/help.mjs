// `ez-pixel --help` wall time against `sentry-wizard --help` and a bare `node` start.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { alternate, emit, spread } from '../lib/measure.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const wizard = `${root}bench/node_modules/@sentry/wizard/dist/bin.js`;
if (!existsSync(`${root}dist/cli.js`)) throw new Error('run `npm run build` first');

const commands = {
  ours: { argv: [process.execPath, `${root}bin/ez-pixel.js`, '--help'] },
  bare: { argv: [process.execPath, '-e', '0'] },
};
if (existsSync(wizard)) commands.peer = { argv: [process.execPath, wizard, '--help'] };

const t = alternate(commands, 9);
const ratio = t.peer ? t.ours.median / t.peer.median : null;
emit([
  {
    what: 'ez-pixel --help wall time',
    ours: Math.round(t.ours.median),
    peer: t.peer ? Math.round(t.peer.median) : null,
    peer_name: t.peer ? 'sentry-wizard --help' : null,
    unit: 'ms',
    ratio: ratio == null ? null : Number(ratio.toFixed(3)),
    target: '≤ 1/8 of peer, ≤ 90 ms',
    met: t.ours.median <= 90 && (ratio == null || ratio <= 1 / 8),
    // The absolute target sits close to a bare `node` start, so the overhead is what the CLI controls.
    note: `median of ${t.ours.runs} alternating runs; spread ${spread(t.ours)}${t.peer ? `, peer ${spread(t.peer)}` : ' (peer not installed: npm ci in bench/)'}; bare node ${Math.round(t.bare.median)} ms, so the CLI adds ${Math.round(t.ours.median - t.bare.median)} ms (mostly loading commander)`,
  },
]);
