// The package as users get it: `npm pack` makes ez-pixel-node-0.2.0.tgz holding only dist/,
// and both `require` and `import` of @ez-pixel/node work from an installed copy, whose own
// frames never appear in reports.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeApp } from './helpers/child-app.js';
import { packageDir } from './helpers/build.js';
import { useIngestServer } from './helpers/ingest-server.js';

const ingest = useIngestServer();

describe('@ez-pixel/node package', () => {
  it('packs to ez-pixel-node-0.2.0.tgz with dist only, no runtime dependencies, version in step', () => {
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({ name: '@ez-pixel/node', version: '0.2.0', engines: { node: '>=20.3' }, files: ['dist'] });
    expect(manifest.dependencies).toBeUndefined();
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: packageDir, encoding: 'utf8' }));
    expect(packed.filename).toBe('ez-pixel-node-0.2.0.tgz');
    const files: string[] = packed.files.map((f: { path: string }) => f.path);
    expect(files.every((f) => f === 'package.json' || f.startsWith('dist/') || /^(README\.md|LICENSE)$/i.test(f))).toBe(true);
    for (const entry of ['dist/esm/index.js', 'dist/esm/index.d.ts', 'dist/cjs/index.js', 'dist/cjs/index.d.ts', 'dist/cjs/package.json']) expect(files).toContain(entry);
  });

  it('installs from the tarball and works through require and import', async () => {
    const app = makeApp();
    execFileSync('npm', ['pack', '--silent', '--pack-destination', app.dir], { cwd: packageDir });
    const target = join(app.dir, 'node_modules/@ez-pixel/node');
    mkdirSync(target, { recursive: true });
    execFileSync('tar', ['-xzf', join(app.dir, 'ez-pixel-node-0.2.0.tgz'), '-C', target, '--strip-components=1']);
    const before = ingest().received.length;
    const cjs = await app.run(app.write('app.cjs', `const pixel = require('@ez-pixel/node');
pixel.initPixel({ projectKey: 'pk_test_pkg', ingestUrl: process.env.INGEST });
pixel.reportPixel('from require');`), { env: { INGEST: ingest().url } });
    const esm = await app.run(app.write('app.mjs', `import { initPixel, reportPixel, SDK_VERSION } from '@ez-pixel/node';
initPixel({ projectKey: 'pk_test_pkg', ingestUrl: process.env.INGEST });
reportPixel('from import ' + SDK_VERSION);`), { env: { INGEST: ingest().url } });
    expect([cjs.code, esm.code, cjs.stderr, esm.stderr]).toEqual([0, 0, '', '']);
    const events = ingest().events.slice(before);
    expect(events.map((e) => e.message).sort()).toEqual(['from import 0.2.0', 'from require']);
    for (const event of events) {
      expect(event.stack[0]).toMatchObject({ in_app: true, line: 3 });
      expect(event.stack.some((f: any) => f.file.includes('@ez-pixel'))).toBe(false);
    }
  });
});
