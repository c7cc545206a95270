// doctor's source-maps check (src/platforms/browser/doctor/source-maps-check.ts) on real esbuild builds: a browser
// app's build output must carry maps (files beside the scripts, or inline), else the warning names
// the switch of the bundler the project uses. The check on its own, on a build in place (a Vite
// app's doctor builds into a temporary folder and checks that build: install-browser-vite.test.ts).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSourceMaps } from '../src/platforms/browser/doctor/source-maps-check.js';
import { makeProject, removeFixtureCopies } from './helpers/fixtures.js';

afterAll(removeFixtureCopies);

const viteApp = () =>
  makeProject('vite-app', {
    'package.json': JSON.stringify({ name: 'vite-app', private: true, scripts: { dev: 'vite', build: 'vite build' }, devDependencies: { vite: '^7' } }),
    'index.html': '<!doctype html><script type="module" src="/src/main.js"></script>\n',
    'src/main.js': "import { total } from './cart.js';\ndocument.body.textContent = String(total([1, 2]));\n",
    'src/cart.js': 'export function total(items) {\n  return items.reduce((sum, item) => sum + item, 0);\n}\n',
  });

/** A production build of src/main.js into <outdir>/assets, as the app's bundler would write it. */
function build(dir: string, sourcemap: boolean | 'inline' | 'external', outdir = 'dist'): void {
  esbuild.buildSync({ absWorkingDir: dir, entryPoints: ['src/main.js'], bundle: true, minify: true, sourcemap, outdir: join(dir, outdir, 'assets'), entryNames: '[name]-[hash]', logLevel: 'silent' });
}

describe('checkSourceMaps on a Vite app', () => {
  it('warns before the first build, warns naming build.sourcemap without maps, and passes with them', async () => {
    const dir = await viteApp();
    expect(await checkSourceMaps(dir)).toMatchObject({ status: 'warn', message: 'no built scripts in dist yet, so their source maps cannot be checked' });

    build(dir, false);
    const unmapped = await checkSourceMaps(dir);
    expect(unmapped).toMatchObject({ status: 'warn', message: expect.stringContaining('none of the 1 built scripts (Vite) has a source map') });
    expect(unmapped!.fix).toBe("turn on build.sourcemap: true (or 'hidden') in vite.config, then rebuild");

    rmSync(join(dir, 'dist'), { recursive: true });
    build(dir, true);
    expect((await checkSourceMaps(dir))).toMatchObject({ status: 'pass', message: '1 of 1 built scripts (Vite) have source maps' });
    // A script Vite copies from public/ as it is has no map, and needs none.
    writeFileSync(join(dir, 'dist', 'analytics.js'), 'window.track = () => {};\n');
    expect((await checkSourceMaps(dir))).toMatchObject({
      status: 'pass',
      message: '1 of 2 built scripts (Vite) have source maps; without: analytics.js (copied files, most likely)',
    });
  });

  it('passes with inline maps, and with hidden ones (a .map beside the script, no comment)', async () => {
    const dir = await viteApp();
    build(dir, 'inline');
    expect((await checkSourceMaps(dir))).toMatchObject({ status: 'pass', message: '1 of 1 built scripts (Vite) have source maps' });
    const hidden = await viteApp();
    build(hidden, 'external');
    expect((await checkSourceMaps(hidden))).toMatchObject({ status: 'pass', message: '1 of 1 built scripts (Vite) have source maps' });
  });
});

describe('checkSourceMaps for other bundlers', () => {
  it('Next.js: reads .next/static only and names productionBrowserSourceMaps', async () => {
    const dir = await makeProject('next-app', {
      'package.json': JSON.stringify({ name: 'n', scripts: { build: 'next build' }, dependencies: { next: '15.3.0' } }),
      'src/main.js': 'export const x = 1;\n',
    });
    build(dir, true, '.next/server');
    build(dir, false, '.next/static/chunks');
    const check = await checkSourceMaps(dir);
    expect(check).toMatchObject({ status: 'warn', fix: 'turn on productionBrowserSourceMaps: true in next.config, then rebuild' });
    expect(check!.message).toContain('none of the 1 built scripts (Next.js)');
  });

  it('webpack by its build script names devtool; a package without a build step gets no check', async () => {
    const dir = await makeProject('webpack-app', {
      'package.json': JSON.stringify({ name: 'w', scripts: { build: 'webpack --mode production' } }),
      'src/main.js': 'export const x = 1;\n',
    });
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'main.js'), '(()=>{})();\n');
    expect(await checkSourceMaps(dir)).toMatchObject({ status: 'warn', fix: "turn on devtool: 'source-map' (or 'hidden-source-map') in webpack.config, then rebuild" });
    const page = await makeProject('page', { 'package.json': JSON.stringify({ name: 'p', scripts: { dev: 'serve .' } }), 'index.html': '<!doctype html>\n' });
    expect(await checkSourceMaps(page)).toBeNull();
  });
});
