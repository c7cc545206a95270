// What each browser SDK adds to a page, min+gzip: each used as an app would (init + one report),
// bundled and minified by esbuild, gzipped at level 9. Target: ez-pixel ≤ 3 KB (3,072 bytes).
import { gzipSync } from 'node:zlib';
import { emit, round } from '../node/lib/harness.mjs';
import { bundle, preparePeers, SDKS } from './lib.mjs';

preparePeers();
const sizes = {};
for (const name of Object.keys(SDKS)) {
  try {
    const code = bundle(name);
    sizes[name] = { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
  } catch (error) {
    sizes[name] = null;
    process.stderr.write(`bench: ${name} did not bundle: ${error.message}\n`);
  }
}
const ours = sizes['ez-pixel'];
const kb = (bytes) => round(bytes / 1024, 2);
emit(
  ['@sentry/browser', '@bugsnag/js'].map((peer) => ({
    what: `browser SDK size, min+gzip (beside ${peer})`,
    ours: ours && kb(ours.gzip),
    peer: sizes[peer] && kb(sizes[peer].gzip),
    peer_name: peer,
    unit: 'KB',
    ratio: ours && sizes[peer] ? round(ours.gzip / sizes[peer].gzip, 3) : null,
    target: '≤ 3 KB',
    met: Boolean(ours && ours.gzip <= 3072),
    note: `esbuild --minify of init + one report call, gzip -9; minified: ez-pixel ${ours?.min} B, ${peer} ${sizes[peer]?.min} B`,
  })),
);
