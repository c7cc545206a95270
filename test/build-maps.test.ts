// listen's map lookup (src/ingest/build-maps.ts) on a real esbuild bundle whose map is inline: the
// `//# sourceMappingURL=data:…` line is as long as the map, far more than the tail first read.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { originalPositionFor } from '@jridgewell/trace-mapping';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BuildMaps } from '../src/ingest/build-maps.js';

let project: string;
beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), 'ez-pixel-build-maps-'));
  mkdirSync(join(project, 'src'));
  // A module of a real app's size: its inline map is some 10 KiB.
  const handlers = Array.from({ length: 120 }, (_, i) => `export function handler${i}(order) {\n  return order.total * ${i} + order.lines.length;\n}`);
  writeFileSync(join(project, 'src', 'main.js'), `${handlers.join('\n')}\nexport function fail() {\n  throw new Error('boom');\n}\n`);
});
afterEach(() => rmSync(project, { recursive: true, force: true }));

describe('BuildMaps', () => {
  it('reads an inline data: map longer than the tail it reads first', async () => {
    esbuild.buildSync({ absWorkingDir: project, entryPoints: ['src/main.js'], bundle: true, format: 'esm', sourcemap: 'inline', outfile: join(project, 'dist', 'assets', 'main.js'), logLevel: 'silent' });
    const bundle = readFileSync(join(project, 'dist', 'assets', 'main.js'), 'utf8').split('\n');
    expect(bundle.at(-2)!.length).toBeGreaterThan(4096 * 2); // the sourceMappingURL line
    const loaded = await new BuildMaps(project, ['dist']).find('assets/main.js', {} as never);
    expect(loaded).not.toBeNull();
    const line = bundle.findIndex((text) => text.includes('boom')) + 1;
    const column = bundle[line - 1]!.indexOf('throw');
    expect(originalPositionFor(loaded!.map, { line, column })).toMatchObject({ source: expect.stringMatching(/src\/main\.js$/), line: 120 * 3 + 2 });
  });
});

describe('BuildMaps, SvelteKit', () => {
  it("finds /_app/ scripts in .svelte-kit/output/client, where the maps' relative sources resolve (adapter-node's copy in build/client is one folder higher)", async () => {
    // As Kit writes them: the map beside the script, its sources relative to the map's own folder.
    const nodes = ['.svelte-kit/output/client/_app/immutable/nodes', 'build/client/_app/immutable/nodes'];
    esbuild.buildSync({ absWorkingDir: project, entryPoints: ['src/main.js'], bundle: true, format: 'esm', sourcemap: true, outfile: join(project, nodes[0]!, '2.js'), logLevel: 'silent' });
    mkdirSync(join(project, nodes[1]!), { recursive: true });
    for (const name of ['2.js', '2.js.map']) writeFileSync(join(project, nodes[1]!, name), readFileSync(join(project, nodes[0]!, name)));
    const loaded = await new BuildMaps(project).find('_app/immutable/nodes/2.js', {} as never);
    const bundle = readFileSync(join(project, nodes[0]!, '2.js'), 'utf8').split('\n');
    const line = bundle.findIndex((text) => text.includes('boom')) + 1;
    const position = originalPositionFor(loaded!.map, { line, column: bundle[line - 1]!.indexOf('throw') });
    expect(`${loaded!.root}src/main.js`).toBe(position.source);
  });
});

describe('BuildMaps, default folders', () => {
  // As each framework serves its client build: the URL path a browser frame names, and the folder it is in.
  it.each([
    ['React Router / Remix', 'build/client', 'assets/entry.client-4f1c2a.js'],
    ['Nuxt', '.output/public', '_nuxt/B9x3kQ.js'],
    ['Next.js', '.next', '_next/static/chunks/app/page-4f1c2a.js'],
    ['Vite', 'dist', 'assets/index-4f1c2a.js'],
  ])('%s: maps a frame of %s with the default folders', async (_framework, dir, file) => {
    const onDisk = dir === '.next' ? file.slice('_next/'.length) : file;
    esbuild.buildSync({ absWorkingDir: project, entryPoints: ['src/main.js'], bundle: true, minify: true, format: 'esm', sourcemap: 'external', outfile: join(project, dir, onDisk), logLevel: 'silent' });
    const loaded = await new BuildMaps(project).find(file, {} as never);
    expect(loaded, `${dir}/${onDisk}`).not.toBeNull();
    const bundle = readFileSync(join(project, dir, onDisk), 'utf8').split('\n');
    const line = bundle.findIndex((text) => text.includes('boom')) + 1;
    const position = originalPositionFor(loaded!.map, { line, column: bundle[line - 1]!.indexOf('throw') });
    expect(position.source).toBe(`${loaded!.root}src/main.js`);
    expect(position.line).toBe(120 * 3 + 2);
  });
});
