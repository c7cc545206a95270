// Install's other paths, on real fixtures: Next.js with and without an instrumentation file,
// detection that must ask (exit 2 naming the flag without a TTY), nothing to instrument (exit 3),
// --from-registry, and uninstall meeting lines the user changed after install.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyFixture, removeFixtureCopies } from './helpers/fixtures.js';
import { runCli, treeDifferences, treeFingerprint } from './install-helpers.js';

afterAll(removeFixtureCopies);

describe('Next.js', () => {
  it('merges the init into an existing src/instrumentation.ts and takes back exactly that', async () => {
    const dir = await copyFixture('node-next-instrumentation');
    const original = treeFingerprint(dir);
    const before = readFileSync(join(dir, 'src', 'instrumentation.ts'), 'utf8');
    const run = await runCli(['install', '--yes', '--skip-install', '--cwd', dir], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    const after = readFileSync(join(dir, 'src', 'instrumentation.ts'), 'utf8');
    expect(after).not.toBe(before);
    expect(after).toContain("console.log('instrumentation registered');"); // the user's code stays
    expect(after).toMatch(/ez-pixel/);
    const uninstall = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir });
    expect(uninstall.exitCode, uninstall.stderr).toBe(0);
    expect(treeDifferences(original, treeFingerprint(dir))).toEqual([]);
  });

  it('creates instrumentation.js when there is none, and uninstall deletes it', async () => {
    const dir = await copyFixture('node-next-app');
    const original = treeFingerprint(dir);
    const dry = await runCli(['install', '--dry-run', '--json', '--cwd', dir], { cwd: dir });
    expect(dry.exitCode, dry.stderr).toBe(0);
    const created = JSON.parse(dry.stdout).edits.filter((edit: { change: string }) => edit.change === 'create').map((edit: { path: string }) => edit.path);
    expect(created.some((path: string) => /^instrumentation\.(js|ts|mjs)$/.test(path))).toBe(true);
    const run = await runCli(['install', '--yes', '--skip-install', '--cwd', dir], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    const uninstall = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir });
    expect(uninstall.exitCode, uninstall.stderr).toBe(0);
    expect(treeDifferences(original, treeFingerprint(dir))).toEqual([]);
  });
});

describe('detection that needs a choice or finds nothing', () => {
  it('two lockfiles: exit 2 naming --pm, nothing changed; --pm settles it', async () => {
    const dir = await copyFixture('ambiguous-lockfiles');
    const original = treeFingerprint(dir);
    const run = await runCli(['install', '--yes', '--cwd', dir], { cwd: dir });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('--pm');
    expect(treeDifferences(original, treeFingerprint(dir))).toEqual([]);
    const chosen = await runCli(['install', '--dry-run', '--json', '--pm', 'npm', '--cwd', dir], { cwd: dir });
    expect(chosen.exitCode, chosen.stderr).toBe(0);
    expect(JSON.parse(chosen.stdout).commands[0].argv[0]).toBe('npm');
  });

  it('a Node and a Python project side by side: exit 2 naming the flag', async () => {
    const dir = await copyFixture('mixed-repo');
    const run = await runCli(['install', '--yes', '--cwd', dir], { cwd: dir });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/--cwd|--runtime/);
  });

  it('an empty directory: exit 3, and it says what it looked for', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ez-pixel-empty-'));
    try {
      const run = await runCli(['install', '--yes', '--cwd', dir], { cwd: dir });
      expect(run.exitCode).toBe(3);
      expect(run.stderr).toMatch(/nothing to instrument/);
      expect(run.stderr).toMatch(/looked for/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('uninstall after the user changed things', () => {
  it('reports an edited .env line and an edited init file, leaves both, and removes the rest', async () => {
    const dir = await copyFixture('node-plain-npm');
    const entryBefore = readFileSync(join(dir, 'index.js'), 'utf8');
    const run = await runCli(['install', '--yes', '--skip-install', '--cwd', dir], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    const env = readFileSync(join(dir, '.env'), 'utf8');
    const edited = env.replace(/EZ_PIXEL_INGEST_URL=.*/, 'EZ_PIXEL_INGEST_URL=https://mine.example/ingest');
    writeFileSync(join(dir, '.env'), `${edited}OTHER=1\n`);
    appendFileSync(join(dir, 'ez-pixel.init.cjs'), '// my own note\n');

    const uninstall = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir });
    expect(uninstall.exitCode, uninstall.stderr).toBe(0);
    expect(uninstall.stderr).toMatch(/EZ_PIXEL_INGEST_URL=.*changed or removed after install; left alone/);
    expect(uninstall.stderr).toMatch(/ez-pixel\.init\.cjs was changed after install; left alone/);
    expect(readFileSync(join(dir, '.env'), 'utf8')).toBe('EZ_PIXEL_INGEST_URL=https://mine.example/ingest\nOTHER=1\n');
    expect(readFileSync(join(dir, 'ez-pixel.init.cjs'), 'utf8')).toContain('// my own note');
    expect(readFileSync(join(dir, 'index.js'), 'utf8')).toBe(entryBefore);
  });
});

describe('--from-registry', () => {
  it('installs the SDK by name instead of copying the bundled artifact', async () => {
    const dir = await copyFixture('node-plain-npm');
    const run = await runCli(['install', '--dry-run', '--json', '--from-registry', '--cwd', dir], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    const plan = JSON.parse(run.stdout);
    expect(plan.copies).toEqual([]);
    expect(plan.commands[0].argv.at(-1)).toBe('@ez-pixel/node');
  });
});
