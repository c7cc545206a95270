// Hostile project files (issue 14): symlinks in and out of the project, non-UTF-8 entries, .env
// values a shell would run, a read-only entry. Each case hashes every file of the project AND of
// an `outside/` folder beside it (content, mode, and symlink vs file) before install, after
// install, after uninstall and after an install that really fails and rolls back.
import { chmodSync, mkdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync, existsSync, lstatSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { execa } from 'execa';
import { parse as parseDotenv } from 'dotenv';
import { afterAll, describe, expect, it } from 'vitest';
import { inventoryHash } from '../src/plan/dir-inventory.js';
import { sha256 } from '../src/plan/state.js';
import { copyFixture, removeFixtureCopies } from './helpers/fixtures.js';
import { repoRoot, runCli, treeDifferences, treeFingerprint } from './install-helpers.js';

afterAll(removeFixtureCopies);

interface Sandbox {
  /** The temp folder holding both. */
  parent: string;
  dir: string;
  outside: string;
}

/** A fixture copy with an `outside/` folder beside it that holds a secret. */
async function sandbox(fixture: string): Promise<Sandbox> {
  const dir = await copyFixture(fixture);
  const parent = dirname(dir);
  const outside = join(parent, 'outside');
  mkdirSync(outside);
  writeFileSync(join(outside, 'secrets.env'), 'SECRET_DB_PASSWORD=hunter2\n');
  return { parent, dir, outside };
}

const everything = (box: Sandbox): Map<string, string> => treeFingerprint(box.parent);
const install = (box: Sandbox, extra: string[] = []) => runCli(['install', '--yes', '--skip-install', '--cwd', box.dir, ...extra], { cwd: box.dir });
const uninstall = (box: Sandbox) => runCli(['uninstall', '--yes', '--cwd', box.dir], { cwd: box.dir });

/**
 * An install that fails on its last write (the install record), after every other edit was
 * written: `.ez-pixel/install.json` is a link to a path under a regular file, so creating its
 * folder fails for real. Returns the run; the blocker is removed again afterwards.
 */
async function failingInstall(box: Sandbox, extra: string[] = []) {
  mkdirSync(join(box.dir, '.ez-pixel'), { recursive: true });
  writeFileSync(join(box.dir, 'blocker'), 'a file where a folder would have to be\n');
  symlinkSync('../blocker/install.json', join(box.dir, '.ez-pixel', 'install.json'));
  const before = everything(box);
  const run = await install(box, extra);
  const after = everything(box);
  rmSync(join(box.dir, '.ez-pixel'), { recursive: true, force: true });
  rmSync(join(box.dir, 'blocker'));
  return { run, differences: treeDifferences(before, after) };
}

/** The transaction case every test repeats: fails late, restores every byte and link, and says so truthfully. */
async function expectRollbackRestores(box: Sandbox, extra: string[] = []): Promise<void> {
  const { run, differences } = await failingInstall(box, extra);
  expect(run.exitCode, run.stderr).toBe(1);
  expect(run.stderr).toMatch(/a write failed; every file was restored to what it was before/);
  expect(differences).toEqual([]);
}

/** install, then uninstall: the whole temp folder (project and outside) is as it was. */
async function expectRoundTrip(box: Sandbox, extra: string[] = []): Promise<{ installed: Map<string, string>; stderr: string }> {
  const before = everything(box);
  const installRun = await install(box, extra);
  expect(installRun.exitCode, installRun.stderr).toBe(0);
  const installed = everything(box);
  // Nothing outside the project was written, created or removed by install.
  const outsideOf = (prints: Map<string, string>) => [...prints].filter(([path]) => !path.startsWith(`${basename(box.dir)}/`) && path !== `${basename(box.dir)}/`);
  expect(outsideOf(installed)).toEqual(outsideOf(before));
  const removeRun = await uninstall(box);
  expect(removeRun.exitCode, removeRun.stderr).toBe(0);
  expect(treeDifferences(before, everything(box))).toEqual([]);
  return { installed, stderr: installRun.stderr + removeRun.stderr };
}

describe('a symlinked .env', () => {
  it('pointing outside the project: refused with exit 2, nothing written anywhere (the secret is not copied in)', async () => {
    const box = await sandbox('node-plain-npm');
    symlinkSync('../outside/secrets.env', join(box.dir, '.env'));
    const before = everything(box);
    const run = await install(box);
    expect(run.exitCode, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/\.env leads outside the project, to .*outside\/secrets\.env/);
    expect(run.stderr).toMatch(/nothing was changed/);
    expect(treeDifferences(before, everything(box))).toEqual([]);
    expect(readlinkSync(join(box.dir, '.env'))).toBe('../outside/secrets.env');
    const dryRun = await runCli(['install', '--dry-run', '--skip-install', '--cwd', box.dir], { cwd: box.dir });
    expect(dryRun.exitCode).toBe(2);
  });

  it('that became a link out of the project after install: uninstall refuses with exit 2 and writes nothing', async () => {
    const box = await sandbox('node-plain-npm');
    expect((await install(box)).exitCode).toBe(0);
    writeFileSync(join(box.outside, 'shared.env'), readFileSync(join(box.dir, '.env')));
    rmSync(join(box.dir, '.env'));
    symlinkSync('../outside/shared.env', join(box.dir, '.env'));
    const before = everything(box);
    const run = await uninstall(box);
    expect(run.exitCode, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/\.env leads outside the project/);
    expect(treeDifferences(before, everything(box))).toEqual([]);
  });

  it('pointing inside the project: its target is edited, the link stays a link, uninstall and rollback restore both', async () => {
    const box = await sandbox('node-plain-npm');
    mkdirSync(join(box.dir, 'config'));
    writeFileSync(join(box.dir, 'config', 'app.env'), 'PORT=3000\n');
    symlinkSync('config/app.env', join(box.dir, '.env'));
    const { installed } = await expectRoundTrip(box);
    expect(installed.get('node-plain-npm/.env')).toBe('link:config/app.env');
    expect(installed.get('node-plain-npm/config/app.env')).not.toBe(everything(box).get('node-plain-npm/config/app.env'));
    await install(box);
    expect(readFileSync(join(box.dir, 'config', 'app.env'), 'utf8')).toMatch(/^PORT=3000\nEZ_PIXEL_PROJECT_KEY='pk_live_[0-9a-f]{32}'\nEZ_PIXEL_INGEST_URL='http:\/\/127\.0\.0\.1:8765\/ingest'\n$/);
    expect(lstatSync(join(box.dir, '.env')).isSymbolicLink()).toBe(true);
    await uninstall(box);
    await expectRollbackRestores(box);
  });
});

describe('a symlinked entry', () => {
  it('inside the project: the target gets the init beside it, the entry stays a link, the app runs; uninstall and a rollback restore it as a link', async () => {
    const box = await sandbox('node-plain-npm');
    mkdirSync(join(box.dir, 'shared'));
    const real = readFileSync(join(box.dir, 'index.js'), 'utf8').replace("require('./lib/orders')", "require('../lib/orders')");
    writeFileSync(join(box.dir, 'shared', 'real-index.js'), real);
    rmSync(join(box.dir, 'index.js'));
    symlinkSync('shared/real-index.js', join(box.dir, 'index.js'));
    const { installed } = await expectRoundTrip(box);
    expect(installed.get('node-plain-npm/index.js')).toBe('link:shared/real-index.js');

    // With the SDK really installed, `node index.js` runs: Node resolves the link, then ./ez-pixel.init.cjs beside the real file.
    const before = everything(box);
    const wired = await runCli(['install', '--yes', '--cwd', box.dir], { cwd: box.dir });
    expect(wired.exitCode, wired.stderr).toBe(0);
    expect(wired.stderr).toMatch(/index\.js is a symlink to shared\/real-index\.js: that file is wired/);
    expect(readFileSync(join(box.dir, 'shared', 'real-index.js'), 'utf8')).toMatch(/^.*\nrequire\('\.\/ez-pixel\.init\.cjs'\); \/\/ ez-pixel\n/);
    expect(lstatSync(join(box.dir, 'index.js')).isSymbolicLink()).toBe(true);
    const again = await runCli(['install', '--yes', '--cwd', box.dir, '--entry', 'index.js'], { cwd: box.dir });
    expect(again.exitCode, again.stderr).toBe(0); // naming the link again is the same entry, already set up
    expect(again.stderr).toMatch(/Already set up/);
    const app = await execa(process.execPath, ['index.js'], { cwd: box.dir, reject: false, env: { EZ_PIXEL_INGEST_URL: 'http://127.0.0.1:9/ingest' } });
    expect(app.exitCode, app.stderr).toBe(0);
    expect(app.stdout).toMatch(/42/);
    expect((await uninstall(box)).exitCode).toBe(0);
    const lockfilesAside = (prints: Map<string, string>) => [...prints].filter(([path]) => !/\/(node_modules|package-lock\.json)/.test(path));
    expect(lockfilesAside(everything(box))).toEqual(lockfilesAside(before));
    await expectRollbackRestores(box);
  });

  it('outside the project: exit 5 with the snippet, nothing written anywhere', async () => {
    const box = await sandbox('node-plain-npm');
    writeFileSync(join(box.outside, 'real-index.js'), readFileSync(join(box.dir, 'index.js')));
    rmSync(join(box.dir, 'index.js'));
    symlinkSync('../outside/real-index.js', join(box.dir, 'index.js'));
    const before = everything(box);
    const run = await install(box);
    expect(run.exitCode, run.stderr).toBe(5);
    expect(run.stderr).toMatch(/index\.js is a symlink to .*outside\/real-index\.js, outside the project/);
    expect(run.stdout).toContain("require('./ez-pixel.init.cjs');");
    expect(treeDifferences(before, everything(box))).toEqual([]);
  });
});

/** `wired` without the one whole line `line` (which must be there, after the first line). */
function withoutLine(wired: Buffer, line: string): Buffer {
  const bytes = Buffer.from(`${line}\n`);
  const at = wired.indexOf(bytes);
  expect(at, `${line} is not in the file`).toBeGreaterThan(0);
  return Buffer.concat([wired.subarray(0, at), wired.subarray(at + bytes.length)]);
}

describe('entries that are not UTF-8', () => {
  const latin1 = Buffer.concat([Buffer.from('// caf'), Buffer.of(0xe9), Buffer.from(' \u2014 a Latin-1 byte beside UTF-8\n', 'utf8')]);

  it('a Node entry with a Latin-1 byte keeps every byte: only the init line is added, uninstall and rollback give it back', async () => {
    const box = await sandbox('node-plain-npm');
    const original = Buffer.concat([latin1, readFileSync(join(box.dir, 'index.js'))]);
    writeFileSync(join(box.dir, 'index.js'), original);
    await expectRoundTrip(box);
    await install(box);
    const wired = readFileSync(join(box.dir, 'index.js'));
    expect(withoutLine(wired, "require('./ez-pixel.init.cjs'); // ez-pixel")).toEqual(original);
    expect(wired.includes(Buffer.of(0xef, 0xbf, 0xbd))).toBe(false);
    await uninstall(box);
    expect(readFileSync(join(box.dir, 'index.js'))).toEqual(original);
    await expectRollbackRestores(box);
  });

  it('a Python entry with a Latin-1 byte and no coding line (a SyntaxError for CPython): exit 5, the snippet, nothing changed', async () => {
    const box = await sandbox('py-script-pip');
    writeFileSync(join(box.dir, 'main.py'), Buffer.concat([Buffer.from('# caf'), Buffer.of(0xe9), Buffer.from('\n'), readFileSync(join(box.dir, 'main.py'))]));
    const before = everything(box);
    const run = await install(box);
    expect(run.exitCode, run.stderr).toBe(5);
    expect(run.stderr).toMatch(/line 1 holds byte 0xe9, which is not valid utf-8: CPython refuses to run the file/);
    expect(run.stdout).toContain('import ez_pixel_init  # ez-pixel');
    expect(treeDifferences(before, everything(box))).toEqual([]);
  });

  it('a Python entry that declares latin-1 (PEP 263) is wired byte for byte, and CPython still compiles it', async () => {
    const box = await sandbox('py-script-pip');
    const original = Buffer.concat([
      Buffer.from('# -*- coding: latin-1 -*-\n# caf'),
      Buffer.of(0xe9),
      Buffer.from('\n'),
      readFileSync(join(box.dir, 'main.py')),
    ]);
    writeFileSync(join(box.dir, 'main.py'), original);
    await expectRoundTrip(box);
    await install(box);
    expect(withoutLine(readFileSync(join(box.dir, 'main.py')), 'import ez_pixel_init  # ez-pixel  # isort: skip  # noqa: F401')).toEqual(original);
    const run = await execa(join(repoRoot, '.venv-test', 'bin', 'python'), ['-c', 'compile(open("main.py", "rb").read(), "main.py", "exec")'], { cwd: box.dir, reject: false });
    expect(run.exitCode, run.stderr).toBe(0);
    await uninstall(box);
    await expectRollbackRestores(box);
  });
});

describe('.env values', () => {
  it('are single-quoted: sh, python-dotenv and dotenv (Node) read a URL holding $(…) and `…` literally and run nothing', async () => {
    const box = await sandbox('node-plain-npm');
    const marker = join(box.outside, 'pwned');
    const url = `http://127.0.0.1:8765/$(touch$IFS${marker})\`touch$IFS${marker}2\`/ingest#$HOME`;
    await expectRoundTrip(box, ['--ingest-url', url]);
    const run = await install(box, ['--ingest-url', url]);
    expect(run.exitCode, run.stderr).toBe(0);

    const shell = await execa('sh', ['-c', 'set -a; . ./.env; printf %s "$EZ_PIXEL_INGEST_URL"'], { cwd: box.dir });
    expect(shell.stdout).toBe(url);
    const python = await execa(join(repoRoot, '.venv-test', 'bin', 'python'), ['-c', 'import dotenv, json; print(json.dumps(dotenv.dotenv_values(".env")))'], { cwd: box.dir });
    expect(JSON.parse(python.stdout).EZ_PIXEL_INGEST_URL).toBe(url);
    expect(parseDotenv(readFileSync(join(box.dir, '.env'))).EZ_PIXEL_INGEST_URL).toBe(url);
    expect(existsSync(marker) || existsSync(`${marker}2`)).toBe(false);
    await uninstall(box);
    await expectRollbackRestores(box, ['--ingest-url', url]);
    expect(existsSync(marker)).toBe(false);
  });

  it.each([
    ['a single quote', "http://127.0.0.1:8765/'$(touch$IFS/tmp/x)'/ingest", /single quote/],
    ['${…} (python-dotenv expands it even in single quotes)', 'http://127.0.0.1:8765/${HOME}/ingest', /"\$\{"/],
    ['a backslash (python-dotenv reads \\\\ as an escape)', 'http://127.0.0.1:8765/a\\\\b/ingest', /backslash/],
  ])('holding %s are refused with exit 2, nothing written', async (_what, url, reason) => {
    const box = await sandbox('node-plain-npm');
    const before = everything(box);
    const run = await install(box, ['--ingest-url', url]);
    expect(run.exitCode, run.stderr).toBe(2);
    expect(run.stderr).toMatch(reason);
    expect(treeDifferences(before, everything(box))).toEqual([]);
  });
});

describe('a read-only entry', () => {
  it('under --yes: the output says a read-only file is changed, its mode stays 0444; uninstall and rollback restore it', async () => {
    const box = await sandbox('node-plain-npm');
    chmodSync(join(box.dir, 'index.js'), 0o444);
    const { installed, stderr } = await expectRoundTrip(box);
    expect(installed.get('node-plain-npm/index.js')?.startsWith('444:')).toBe(true);
    expect(stderr).toMatch(/index\.js \(mode 0444\) is read-only; changing it because of --yes/);
    expect(stderr).toMatch(/Changed the read-only file index\.js \(mode 0444\); the mode is kept/);
    expect(statSync(join(box.dir, 'index.js')).mode & 0o7777).toBe(0o444);
    await expectRollbackRestores(box);
  });
});

describe('a hostile install record (a committed .ez-pixel/install.json names paths outside the project)', () => {
  it('uninstall refuses with exit 2 and deletes or rewrites nothing outside', async () => {
    const box = await sandbox('node-plain-npm');
    expect((await install(box)).exitCode).toBe(0);
    mkdirSync(join(box.outside, 'victim-dir', 'data'), { recursive: true });
    writeFileSync(join(box.outside, 'victim-dir', 'data', 'keep.txt'), 'precious\n');
    writeFileSync(join(box.outside, 'victim.txt'), 'precious too\n');
    const statePath = join(box.dir, '.ez-pixel', 'install.json');
    const honest = JSON.parse(readFileSync(statePath, 'utf8'));
    const hostile = [
      { ...honest, createdDirs: [{ path: '../outside/victim-dir', contentsSha256: await inventoryHash(join(box.outside, 'victim-dir')) }] },
      { ...honest, files: [...honest.files, { path: '../outside/victim.txt', sha256: sha256(readFileSync(join(box.outside, 'victim.txt'))) }] },
      { ...honest, dependency: { name: '@ez-pixel/node', spec: 'x', source: 'artifact', packageManager: 'npm', artifact: '.ez-pixel/../../outside/victim.txt' } },
      { ...honest, project: { ...honest.project, workspaceRoot: '..' }, createdDirs: [{ path: '../outside/victim-dir', contentsSha256: await inventoryHash(join(box.outside, 'victim-dir')) }] },
    ];
    // ez-pixel listen's events keep .ez-pixel/ in place, so what install put there is removed file by file.
    writeFileSync(join(box.dir, '.ez-pixel', 'events.jsonl'), '{}\n');
    for (const record of hostile) {
      writeFileSync(statePath, `${JSON.stringify(record, null, 2)}\n`);
      const before = everything(box);
      const run = await runCli(['uninstall', '--yes', '--cwd', box.dir], { cwd: box.dir, env: { npm_config_offline: 'true' } });
      expect(run.exitCode, run.stderr).toBe(2);
      expect(run.stderr).toMatch(/leads outside the project/);
      expect(treeDifferences(before, everything(box))).toEqual([]);
    }
  });
});
