// End to end on real Node fixtures with real npm: install, crash, see the event at a real ingest
// on 127.0.0.1, uninstall, and prove the tree is byte-identical. Plus the flags and fault paths.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFixture } from './helpers/fixtures.js';
import { git, runCli, treeDifferences, treeFingerprint, useSuiteIngest } from './install-helpers.js';

const ingest = useSuiteIngest();

async function waitForEvent(match: (type: string) => boolean, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = ingest().accepted.find((accepted) => match(accepted.event.type));
    if (found) return found.event;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('no event reached the ingest');
}

describe('install and uninstall on node-plain-npm with real npm', () => {
  let dir: string;
  let original: Map<string, string>;
  let key: string;

  beforeAll(async () => {
    dir = await copyFixture('node-plain-npm');
    original = treeFingerprint(dir);
  });

  it('installs, wires the entry first, and writes the key and URL', async () => {
    const run = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest().url], { cwd: dir });
    expect(run.stderr).toContain('package-lock.json is npm'); // the evidence is shown
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/Ran npm install .*file:\.ez-pixel\/ez-pixel-node-0\.2\.0\.tgz/);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(manifest.dependencies['@ez-pixel/node']).toBe('file:.ez-pixel/ez-pixel-node-0.2.0.tgz');
    const env = readFileSync(join(dir, '.env'), 'utf8');
    key = /EZ_PIXEL_PROJECT_KEY='(pk_live_[0-9a-f]{32})'\n/.exec(env)?.[1] ?? '';
    expect(key).not.toBe('');
    expect(env).toBe(`EZ_PIXEL_PROJECT_KEY='${key}'\nEZ_PIXEL_INGEST_URL='${ingest().url}'\n`);
    const entry = readFileSync(join(dir, 'index.js'), 'utf8');
    const fixtureEntry = readFileSync(join(dir, '.git', '..', 'index.js'), 'utf8');
    expect(entry).toBe(fixtureEntry);
    expect(entry.split('\n')[1]).toBe("require('./ez-pixel.init.cjs'); // ez-pixel");
    const state = JSON.parse(readFileSync(join(dir, '.ez-pixel', 'install.json'), 'utf8'));
    expect(state.settings).toEqual({ projectKey: key, ingestUrl: ingest().url });
    expect(state.manifests.find((m: { path: string }) => m.path === 'package.json').afterSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('sends the crash to the ingest with an in-app frame from the fixture', async () => {
    const crash = await execa(process.execPath, ['index.js', '--crash'], { cwd: dir, reject: false, timeout: 30_000 });
    expect(crash.exitCode).not.toBe(0);
    const event = await waitForEvent((type) => type === 'TypeError');
    expect(event.project_key).toBe(key);
    const inApp = event.stack.filter((frame) => frame.in_app).map((frame) => frame.file);
    expect(inApp).toContain('lib/orders.js');
  });

  it('says "already set up" on a second run and changes nothing', async () => {
    const before = treeFingerprint(dir);
    const run = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest().url], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/Already set up/);
    expect(treeDifferences(before, treeFingerprint(dir))).toEqual([]);
  });

  it('a new --ingest-url changes only that value', async () => {
    const before = treeFingerprint(dir);
    const initBefore = readFileSync(join(dir, 'ez-pixel.init.cjs'), 'utf8');
    const run = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', 'https://ingest().example.com/ingest'], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(treeDifferences(before, treeFingerprint(dir))).toEqual(['.env', '.ez-pixel/install.json', 'ez-pixel.init.cjs']);
    const initAfter = readFileSync(join(dir, 'ez-pixel.init.cjs'), 'utf8');
    expect(initAfter).toBe(initBefore.replace(JSON.stringify(ingest().url), JSON.stringify('https://ingest().example.com/ingest')));
    expect(readFileSync(join(dir, '.env'), 'utf8')).toBe(`EZ_PIXEL_PROJECT_KEY='${key}'\nEZ_PIXEL_INGEST_URL='https://ingest().example.com/ingest'\n`);
  });

  it('refuses to rotate the key silently under --yes (exit 2, nothing changed)', async () => {
    const before = treeFingerprint(dir);
    const run = await runCli(['install', '--yes', '--cwd', dir, '--key', 'pk_test_other'], { cwd: dir });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(key);
    expect(treeDifferences(before, treeFingerprint(dir))).toEqual([]);
  });

  it('uninstall --dry-run shows the inverse and changes nothing', async () => {
    const before = treeFingerprint(dir);
    const run = await runCli(['uninstall', '--dry-run', '--cwd', dir], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain('run npm uninstall --no-audit --no-fund @ez-pixel/node');
    expect(run.stdout).toContain("-require('./ez-pixel.init.cjs'); // ez-pixel");
    expect(treeDifferences(before, treeFingerprint(dir))).toEqual([]);
  });

  it('uninstall gives back every byte, and removes everything install created', async () => {
    const run = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(treeDifferences(original, treeFingerprint(dir))).toEqual([]);
    expect(await git(dir, ['status', '--porcelain', '--ignored'])).toBe('');
  });

  it('uninstall on a project that was never wired says so and exits 0', async () => {
    const run = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(/not installed/);
  });
});

describe('install flags that change nothing', () => {
  let dir: string;
  let original: Map<string, string>;
  beforeAll(async () => {
    dir = await copyFixture('node-plain-npm');
    original = treeFingerprint(dir);
  });

  it('--dry-run prints the diff and the command on stdout', async () => {
    const run = await runCli(['install', '--dry-run', '--cwd', dir], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain('+++ b/index.js');
    expect(run.stdout).toContain("+require('./ez-pixel.init.cjs'); // ez-pixel");
    expect(run.stdout).toContain('run npm install --no-audit --no-fund file:.ez-pixel/ez-pixel-node-0.2.0.tgz');
    expect(run.stdout).not.toMatch(/Found node|Dry run/); // messages stay on stderr
    expect(await git(dir, ['status', '--porcelain', '--ignored'])).toBe('');
  });

  it('--json --dry-run prints the plan as data', async () => {
    const run = await runCli(['install', '--dry-run', '--json', '--cwd', dir, '--key', 'pk_test_json'], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    const plan = JSON.parse(run.stdout);
    expect(plan.status).toBe('planned');
    expect(plan.project.packageManager).toBe('npm');
    expect(plan.commands[0].argv).toEqual(['npm', 'install', '--no-audit', '--no-fund', 'file:.ez-pixel/ez-pixel-node-0.2.0.tgz']);
    expect(plan.edits.map((edit: { path: string; change: string }) => `${edit.change} ${edit.path}`)).toEqual([
      'create ez-pixel.init.cjs', 'modify index.js', 'create .ez-pixel/.gitignore', 'create .env', 'create .ez-pixel/install.json',
    ]);
    expect(plan.edits[0].after).toContain('"pk_test_json"');
    expect(treeDifferences(original, treeFingerprint(dir))).toEqual([]);
  });

  it.each([
    [['--key', 'pk_prod_123'], /--key/],
    [['--key', 'pk_live_has space'], /--key/],
    [['--ingest-url', 'ftp://example.com/ingest'], /http or https/],
    [['--ingest-url', 'nope'], /not a URL/],
  ])('%j exits 2 and changes nothing', async (flags, message) => {
    const run = await runCli(['install', '--yes', '--cwd', dir, ...flags], { cwd: dir });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(treeDifferences(original, treeFingerprint(dir))).toEqual([]);
  });

  it('without a TTY and without --yes it fails at once naming --yes (exit 2)', async () => {
    const run = await runCli(['install', '--cwd', dir], { cwd: dir });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('--yes');
    const json = await runCli(['install', '--json', '--cwd', dir], { cwd: dir });
    expect(json.exitCode).toBe(2);
    const uninstall = await runCli(['uninstall', '--cwd', dir], { cwd: dir });
    expect(uninstall.exitCode).toBe(2);
    expect(treeDifferences(original, treeFingerprint(dir))).toEqual([]);
  });

  it('warns about plain http to another host, and lists uncommitted files under --yes', async () => {
    writeFileSync(join(dir, 'notes.txt'), 'work in progress\n');
    const run = await runCli(['install', '--yes', '--skip-install', '--cwd', dir, '--ingest-url', 'http://ingest().example.com/ingest'], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/unencrypted/);
    expect(run.stderr).toMatch(/uncommitted changes[\s\S]*notes\.txt/);
    expect(run.stderr).toMatch(/--skip-install: the SDK was not installed; run npm install/);
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies).toBeUndefined();
  });
});

describe('entries that must stay byte-identical apart from the inserted line', () => {
  it.each([
    ['node-edge-crlf', 'index.js'],
    ['node-edge-bom', 'index.js'],
    ['node-cli-bin', 'bin/cli.js'],
  ])('%s', async (fixture, entry) => {
    const dir = await copyFixture(fixture);
    const original = treeFingerprint(dir);
    const before = readFileSync(join(dir, entry), 'utf8');
    const run = await runCli(['install', '--yes', '--skip-install', '--cwd', dir], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    const after = readFileSync(join(dir, entry), 'utf8');
    const eol = before.includes('\r\n') ? '\r\n' : '\n';
    const inserted = after.split(eol).filter((line) => line.includes('// ez-pixel'));
    expect(inserted).toHaveLength(1);
    expect(after.replace(`${inserted[0]}${eol}`, '')).toBe(before);
    const uninstall = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir });
    expect(uninstall.exitCode, uninstall.stderr).toBe(0);
    expect(treeDifferences(original, treeFingerprint(dir))).toEqual([]);
  });

  it('an entry with a syntax error: exit 5, the snippet on stdout, nothing changed', async () => {
    const dir = await copyFixture('node-edge-syntax-error');
    const original = treeFingerprint(dir);
    const run = await runCli(['install', '--yes', '--cwd', dir], { cwd: dir });
    expect(run.exitCode).toBe(5);
    expect(run.stdout).toContain("require('./ez-pixel.init.cjs'); // ez-pixel");
    expect(run.stderr).toMatch(/nothing was changed/);
    expect(treeDifferences(original, treeFingerprint(dir))).toEqual([]);
  });
});
