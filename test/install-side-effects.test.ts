// "sideEffects": false makes esbuild drop `import './ez-pixel.init'` from the bundle. install
// lists the init in the field instead (reversibly), so `npm run build && npm start` reports the
// crash; and doctor reads the built output and fails when a build dropped the init after all.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepInitInSideEffects } from '../src/plan/side-effects.js';
import { copyFixture, removeFixtureCopies } from './helpers/fixtures.js';
import { startTestIngest, type TestIngest } from './helpers/ingest.js';
import { quietEnv, runCli, treeDifferences, treeFingerprint } from './install-helpers.js';

let ingest: TestIngest;
beforeAll(async () => {
  ingest = await startTestIngest();
});
afterAll(async () => {
  await ingest.dispose();
  await removeFixtureCopies();
});

type Checks = Array<{ id: string; status: string; message: string; fix: string | null }>;
async function buildCheck(dir: string) {
  const run = await runCli(['doctor', '--cwd', dir, '--json', '--no-send'], { cwd: dir });
  return (JSON.parse(run.stdout).checks as Checks).find((check) => check.id === 'build');
}

describe('node-esbuild-side-effects: npm run build && npm start', () => {
  let dir: string;
  let original: Map<string, string>;

  beforeAll(async () => {
    dir = await copyFixture('node-esbuild-side-effects');
    original = treeFingerprint(dir);
    const run = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest.url], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('"sideEffects" now lists ./src/ez-pixel.init.ts');
  }, 240_000);

  it('lists the init in sideEffects, keeping the rest of package.json', () => {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(manifest.sideEffects).toEqual(['./src/ez-pixel.init.ts']);
    expect(manifest.devDependencies.esbuild).toBe('0.25.12');
  });

  it('doctor warns until the project is built', async () => {
    expect(await buildCheck(dir)).toMatchObject({ status: 'warn' });
  });

  it('the bundle keeps the init: the built app reports its crash, and doctor passes build', async () => {
    const build = await execa('npm', ['run', 'build'], { cwd: dir, env: quietEnv, reject: false });
    expect(build.exitCode, build.stderr).toBe(0);
    expect(build.stderr).not.toContain('was marked as having no side effects');
    const crash = await execa('npm', ['start', '--silent', '--', '--crash'], { cwd: dir, env: quietEnv, reject: false, timeout: 30_000 });
    expect(crash.stderr).toContain('RangeError');
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && !ingest.accepted.some((a) => a.event.type === 'RangeError')) await new Promise((r) => setTimeout(r, 100));
    expect(ingest.accepted.some((a) => a.event.type === 'RangeError')).toBe(true);
    expect(await buildCheck(dir)).toMatchObject({ status: 'pass' });
  });

  it('with sideEffects put back to false, esbuild drops the init and doctor fails build, naming the fix', async () => {
    const manifest = readFileSync(join(dir, 'package.json'), 'utf8');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...JSON.parse(manifest), sideEffects: false }, null, 2));
    const build = await execa('npm', ['run', 'build'], { cwd: dir, env: quietEnv, reject: false });
    expect(build.stderr).toContain('was marked as having no side effects');
    const check = await buildCheck(dir);
    expect(check).toMatchObject({ status: 'fail' });
    expect(check?.message).toContain('dist/index.js, which the app runs, no longer holds the init');
    expect(check?.fix).toContain('sideEffects');
    writeFileSync(join(dir, 'package.json'), manifest);
  });

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
  });
});
