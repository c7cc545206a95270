/**
 * Real production builds of test/fixtures/browser-source-maps for the source-map tests: copied to
 * a temp dir and bundled with esbuild (minified, hashed names, source maps), as a front end's build
 * step does.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { expect } from 'vitest';
import { fingerprint } from '../../runtimes/node/src/fingerprint.js';
import { fixturesDir } from './fixtures.js';
import { makeEvent } from './ingest.js';

export interface WireFrame {
  file: string;
  line: number;
  col: number;
  fn: string;
  in_app: boolean;
}

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

/**
 * Runs the bundle's onBuyClick in V8 and returns the browser event a page loading it from
 * `/<script>` would send: frames as the browser SDK sends them (spec/fingerprint.md "Browser
 * events", point 1), with the provisional fingerprint an ingest computes for them (the browser
 * SDK sends none), so a test can tell it from the mapped one.
 */
export function v8CrashEvent(project: string, script: string, dir = 'dist', overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const url = pathToFileURL(join(project, dir, script)).href;
  const stack = execFileSync(process.execPath, ['--input-type=module', '-e', `import(${JSON.stringify(url)}).then((m) => m.onBuyClick()).catch((e) => console.log(e.stack))`], {
    encoding: 'utf8',
  });
  const frames: WireFrame[] = [];
  for (const match of stack.matchAll(/^\s+at (?:(\S+) \()?file:\/\/\S+?\/(assets\/[^:]+):(\d+):(\d+)\)?$/gm)) {
    frames.push({ file: match[2]!, line: Number(match[3]), col: Number(match[4]), fn: match[1] ?? '', in_app: true });
  }
  expect(frames.length, stack).toBeGreaterThanOrEqual(2);
  const message = 'the cart is empty';
  return makeEvent({
    type: 'Error',
    message,
    stack: frames,
    runtime: 'browser-chrome-131.0.0.0',
    fingerprint: fingerprint({ kind: 'error', type: 'Error', message, frames: frames.map((f) => ({ ...f, source: null })), logger: null }),
    ...overrides,
  });
}
