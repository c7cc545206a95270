// "sideEffects": false makes esbuild, Vite (SSR build) and webpack drop `import './ez-pixel.init'`
// from the bundle. install lists the init in the field instead (reversibly), so
// `npm run build && npm start` reports the crash; and doctor reads the built output and fails
// when a build dropped the init after all. Real bundlers from the npm registry.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { keepInitInSideEffects, planSideEffects } from '../src/platforms/node/side-effects.js';
import { copyFixture, fixturesDir } from './helpers/fixtures.js';
import { doctorChecks, quietEnv, runCli, treeDifferences, treeFingerprint, useSuiteIngest } from './install-helpers.js';

const ingest = useSuiteIngest();

async function buildCheck(dir: string) {
  return (await doctorChecks(dir)).checks.get('build');
}

/** One Node service per bundler, each with "sideEffects": false, built by `npm run build` and run by `npm start`. */
const bundlers = [
  { fixture: 'node-esbuild-side-effects', bundler: 'esbuild', built: 'dist/index.js', crash: { type: 'RangeError', message: 'Invalid time value' } },
  { fixture: 'node-vite-ssr-side-effects', bundler: 'vite', built: 'dist/server.js', crash: { type: 'RangeError', message: 'negative amount -1' } },
  { fixture: 'node-webpack-side-effects', bundler: 'webpack', built: 'dist/server.cjs', crash: { type: 'TypeError', message: "Cannot read properties of undefined (reading 'city')" } },
];

describe.each(bundlers)('$fixture: npm run build ($bundler) && npm start', ({ fixture, bundler, built, crash }) => {
  let dir: string;
  let original: Map<string, string>;
  let initFile: string;
  const build = () => execa('npm', ['run', 'build'], { cwd: dir, env: quietEnv, reject: false, all: true });

  beforeAll(async () => {
    dir = await copyFixture(fixture);
    original = treeFingerprint(dir);
    const run = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest().url], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    initFile = readdirSync(join(dir, 'src')).find((name) => name.startsWith('ez-pixel.init'))!;
    expect(run.stderr).toContain(`"sideEffects" now lists ./src/${initFile}`);
  }, 240_000);

  it('lists the init in sideEffects, keeping the rest of package.json', () => {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(manifest.sideEffects).toEqual([`./src/${initFile}`]);
    expect(manifest.devDependencies[bundler]).toBe(JSON.parse(readFileSync(join(fixturesDir, fixture, 'package.json'), 'utf8')).devDependencies[bundler]);
  });

  it('doctor warns until the project is built', async () => {
    expect(await buildCheck(dir)).toMatchObject({ status: 'warn' });
  });

  it('the bundle keeps the init: the built app reports its crash, and doctor passes build', async () => {
    const result = await build();
    expect(result.exitCode, result.all).toBe(0);
    expect(readFileSync(join(dir, built), 'utf8')).toContain('pk_');
    const run = await execa('npm', ['start', '--silent', '--', '--crash'], { cwd: dir, env: quietEnv, reject: false, timeout: 30_000 });
    expect(run.stderr).toContain(crash.type);
    const deadline = Date.now() + 15_000;
    const reported = () => ingest().accepted.find((a) => a.event.type === crash.type && a.event.message === crash.message)?.event;
    while (Date.now() < deadline && !reported()) await new Promise((r) => setTimeout(r, 100));
    expect(reported(), run.stderr).toBeDefined();
    expect(reported()?.stack.some((frame) => frame.in_app && frame.file === built)).toBe(true);
    expect(await buildCheck(dir)).toMatchObject({ status: 'pass', message: `${built} (the built output the app runs) still holds the init` });
    expect((await doctorChecks(dir)).exitCode).toBe(0);
  }, 120_000);

  it('with sideEffects put back to false, the bundler drops the init and doctor fails build (exit 1), naming the fix', async () => {
    const manifest = readFileSync(join(dir, 'package.json'), 'utf8');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...JSON.parse(manifest), sideEffects: false }, null, 2));
    const result = await build();
    expect(result.exitCode, result.all).toBe(0);
    expect(readFileSync(join(dir, built), 'utf8')).not.toContain('ez-pixel');
    const check = await buildCheck(dir);
    expect(check).toMatchObject({ status: 'fail' });
    expect(check?.message).toContain(`${built}, which the app runs, no longer holds the init`);
    expect(check?.fix).toContain('sideEffects');
    expect((await doctorChecks(dir)).exitCode).toBe(1);
    writeFileSync(join(dir, 'package.json'), manifest);
  }, 120_000);

  it('uninstall puts package.json back byte for byte', async () => {
    rmSync(join(dir, 'dist'), { recursive: true, force: true });
    const run = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(treeDifferences(original, treeFingerprint(dir)).filter((path) => !path.startsWith('node_modules') && path !== 'package-lock.json')).toEqual([]);
  }, 120_000);
});

describe('keepInitInSideEffects', () => {
  it('turns false into a list, appends to a list, and leaves other shapes alone', () => {
    expect(keepInitInSideEffects('{\n  "sideEffects": false\n}\n', 'src/ez-pixel.init.ts')).toBe('{\n  "sideEffects": ["./src/ez-pixel.init.ts"]\n}\n');
    expect(keepInitInSideEffects('{ "sideEffects": ["*.css"] }', 'ez-pixel.init.mjs')).toBe('{ "sideEffects": ["*.css", "./ez-pixel.init.mjs"] }');
    expect(keepInitInSideEffects('{ "sideEffects": [\n    "*.css"\n  ] }', 'a.mjs')).toBe('{ "sideEffects": [\n    "*.css", "./a.mjs"\n  ] }');
    expect(keepInitInSideEffects('{ "sideEffects": [] }', 'a.mjs')).toBe('{ "sideEffects": ["./a.mjs"] }');
    expect(keepInitInSideEffects('{ "sideEffects": ["./a.mjs"] }', 'a.mjs')).toBeNull();
    expect(keepInitInSideEffects('{ "name": "x" }', 'a.mjs')).toBeNull();
    // A full-stack framework's client init, imported by its client entry, is listed with the server's.
    expect(planSideEffects('{ "sideEffects": false }', ['app/s.ts', 'app/c.ts'])?.edit.after).toBe('{ "sideEffects": ["./app/s.ts", "./app/c.ts"] }');
    expect(planSideEffects('{ "sideEffects": ["./app/s.ts"] }', ['app/s.ts', 'app/c.ts'])?.note).toContain('lists ./app/c.ts, so');
  });
});
