/**
 * The published package as a user gets it: `npm pack` of the built repository, installed with npm
 * into a fresh project outside the repository, then run from there: help, a dry-run install on a
 * TypeScript fixture (which loads ts-morph, external to the bundle, from the user's node_modules,
 * and plans the SDK artifact shipped in the package), and `listen` validating one event against the
 * schema the package ships.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixture, removeFixtureCopies } from './helpers/fixtures.js';
import { makeEvent, postEvent } from './helpers/ingest.js';
import { quietEnv, repoRoot, treeDifferences, treeFingerprint } from './install-helpers.js';

let work = '';
let installed = '';
let packed: { files: { path: string }[] } = { files: [] };
const bin = () => join(work, 'consumer', 'node_modules', '.bin', 'ez-pixel');

beforeAll(async () => {
  if (!existsSync(join(repoRoot, 'dist', 'help.json'))) throw new Error('build first: npm run build');
  work = mkdtempSync(join(tmpdir(), 'ez-pixel-package-'));
  const pack = await execa('npm', ['pack', '--json', '--pack-destination', work], { cwd: repoRoot, env: quietEnv });
  packed = (JSON.parse(pack.stdout) as { files: { path: string }[]; filename: string }[])[0]!;
  const consumer = join(work, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), '{ "name": "consumer", "private": true }\n');
  // better-sqlite3's install script downloads a prebuilt binary from GitHub, which tests cannot
  // reach, and then compiles SQLite for minutes; the binary built for this repository is the same.
  await execa('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', join(work, 'ez-pixel-0.2.0.tgz')], { cwd: consumer, env: quietEnv });
  const sqlite = (dir: string) => join(dir, 'node_modules', 'better-sqlite3');
  const versionOf = (dir: string) => (JSON.parse(readFileSync(join(sqlite(dir), 'package.json'), 'utf8')) as { version: string }).version;
  expect(versionOf(consumer)).toBe(versionOf(repoRoot));
  cpSync(join(sqlite(repoRoot), 'build', 'Release', 'better_sqlite3.node'), join(sqlite(consumer), 'build', 'Release', 'better_sqlite3.node'));
  installed = join(consumer, 'node_modules', 'ez-pixel');
}, 180_000);

afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  await removeFixtureCopies();
});

describe('the npm package', () => {
  it('holds the launcher, the bundle, the pre-rendered help, the artifacts and the schema, and no sources', () => {
    const paths = packed.files.map((file) => file.path);
    for (const path of ['bin/ez-pixel.js', 'dist/cli.js', 'dist/help.json', 'spec/event.schema.json', 'artifacts/ez-pixel-node-0.2.0.tgz', 'artifacts/ez_pixel-0.2.0-py3-none-any.whl']) {
      expect(paths).toContain(path);
    }
    expect(paths.filter((path) => path.startsWith('src/') || path.startsWith('test/') || path.endsWith('.ts'))).toEqual([]);
    // Only what the bundle leaves external is installed with it.
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies).sort()).toEqual(['better-sqlite3', 'pg', 'ts-morph', 'v8-compile-cache']);
  });

  it('prints its help from a fresh project', async () => {
    const help = await execa(bin(), ['--help'], { cwd: work, reject: false });
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toMatch(/^Usage: ez-pixel \[options\] \[command\]/);
    const version = await execa(bin(), ['--version'], { cwd: work, reject: false });
    expect(version.stdout).toBe('0.2.0');
  });

  it('plans an install on a TypeScript project without changing it (ts-morph from the user\'s node_modules)', async () => {
    const dir = await copyFixture('node-ts-nodenext-npm');
    const before = treeFingerprint(dir);
    const run = await execa(bin(), ['install', '--dry-run', '--json', '--yes', '--cwd', dir], { cwd: work, env: quietEnv, reject: false });
    expect(run.exitCode, run.stderr).toBe(0);
    const plan = JSON.parse(run.stdout) as { status: string; edits: { path: string; change: string; after: string }[] };
    expect(plan.status).toBe('planned');
    // The import was placed by parsing src/index.ts with ts-morph.
    const entry = plan.edits.find((edit) => edit.path === 'src/index.ts');
    expect(entry?.after).toContain("import './ez-pixel.init.js'; // ez-pixel");
    expect(run.stderr).toContain('Dry run: nothing was changed.');
    expect(treeDifferences(before, treeFingerprint(dir))).toEqual([]);
  });

  it('runs listen, which validates an event against the schema it ships', async () => {
    const child = spawn(bin(), ['listen', '--port', '0', '--database', join(work, 'events.db')], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const lines = createInterface({ input: child.stdout });
      const first = await new Promise<string>((resolve, reject) => {
        lines.once('line', resolve);
        child.once('close', (code) => reject(new Error(`listen exited ${code}`)));
      });
      const url = first.replace('listening on ', '');
      const event = makeEvent();
      expect((await postEvent(url, event)).status).toBe(201);
      // Stored events are read on the store's worker thread, a file the package ships beside the bundle.
      const read = (await (await fetch(url.replace(/\/ingest$/, '/events'))).json()) as { events: { event_id: string }[] };
      expect(read.events.map((stored) => stored.event_id)).toEqual([event.event_id]);
      const invalid = await postEvent(url, makeEvent({ level: 'loud' }));
      expect(invalid.status).toBe(400);
      // The dashboard ships prebuilt in the package.
      const dashboard = await fetch(url.replace(/\/ingest$/, '/'));
      expect(dashboard.status).toBe(200);
      expect(await dashboard.text()).toContain('<script src="/app.js"');
    } finally {
      child.kill('SIGINT');
    }
  });
});
