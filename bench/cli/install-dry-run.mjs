// `ez-pixel install --dry-run` on a generated TypeScript project of 2,000 source files, with a
// node_modules folder of 20,000 files that detection must never read. Target: 1 s or less.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alternate, emit, spread } from '../lib/measure.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

function writeProject(dir) {
  writeFileSync(join(dir, 'package.json'), JSON.stringify({
    name: 'big-ts-app', version: '1.0.0', type: 'module', main: 'dist/index.js',
    scripts: { build: 'tsc', start: 'node dist/index.js' },
    devDependencies: { typescript: '^5.9.0' },
  }, null, 2));
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: 'big-ts-app', lockfileVersion: 3, packages: {} }));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', rootDir: 'src', outDir: 'dist', strict: true },
  }, null, 2));
  mkdirSync(join(dir, 'src', 'modules'), { recursive: true });
  const imports = [];
  for (let i = 0; i < 1999; i++) {
    writeFileSync(join(dir, 'src', 'modules', `m${i}.ts`), `export function f${i}(x: number): number {\n  return x + ${i};\n}\n`);
    if (i < 50) imports.push(`import { f${i} } from './modules/m${i}.js';`);
  }
  writeFileSync(join(dir, 'src', 'index.ts'), `${imports.join('\n')}\n\nconsole.log(${imports.map((_, i) => `f${i}(1)`).join(' + ')});\n`);
  for (let p = 0; p < 200; p++) {
    const pkg = join(dir, 'node_modules', `pkg-${p}`);
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: `pkg-${p}`, version: '1.0.0' }));
    for (let f = 0; f < 99; f++) writeFileSync(join(pkg, `f${f}.js`), 'module.exports = 1;\n');
  }
}

const work = mkdtempSync(join(tmpdir(), 'ez-pixel-bench-big-'));
try {
  writeProject(work);
  const argv = [process.execPath, `${root}bin/ez-pixel.js`, 'install', '--dry-run', '--json', '--yes', '--cwd', work];
  const t = alternate({ ours: { argv } }, 7);
  emit([{
    what: 'install --dry-run, 2,000-file TS project',
    ours: Math.round(t.ours.median),
    peer: null, peer_name: null, unit: 'ms', ratio: null,
    target: '≤ 1000 ms',
    met: t.ours.median <= 1000,
    note: `median of ${t.ours.runs} runs; spread ${spread(t.ours)}; 20,000 files in node_modules`,
  }]);
} finally {
  rmSync(work, { recursive: true, force: true });
}
