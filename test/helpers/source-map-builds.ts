/**
 * Real production builds of test/fixtures/browser-source-maps for the source-map tests: copied to
 * a temp dir and bundled with esbuild (minified, hashed names, source maps), as a front end's build
 * step does.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { fixturesDir } from './fixtures.js';

/** A fresh copy of the fixture; remove it when done. */
export function copySourceMapFixture(): string {
  const project = mkdtempSync(join(tmpdir(), 'ez-pixel-source-maps-'));
  cpSync(join(fixturesDir, 'browser-source-maps'), project, { recursive: true });
  return project;
}

/** Bundles src/main.js into <outdir>/assets/main-<hash>.js; returns that script's URL path (`assets/main-<hash>.js`). */
export function buildFixture(project: string, options: { sourcemap?: boolean; outdir?: string } = {}): string {
  const result = esbuild.buildSync({
    absWorkingDir: project,
    entryPoints: ['src/main.js'],
    bundle: true,
    minify: true,
    format: 'esm',
    sourcemap: options.sourcemap ?? true,
    outdir: join(project, options.outdir ?? 'dist', 'assets'),
    entryNames: '[name]-[hash]',
    metafile: true,
    logLevel: 'silent',
  });
  const script = Object.keys(result.metafile.outputs).find((path) => path.endsWith('.js'))!;
  return script.replace(/^.*?assets\//, 'assets/');
}

/** The change before the second build: main.js imports banner.js first, which moves cart.js's code in the bundle. */
export function changeMain(project: string): void {
  const main = join(project, 'src', 'main.js');
  writeFileSync(main, `import './banner.js';\n${readFileSync(main, 'utf8')}`);
}
