// The bundled SDK reaches every other machine: .ez-pixel/ is committed even under GitHub's Node
// .gitignore (which ignores *.tgz), a fresh clone at another path installs it with npm ci and
// reports, and a Dockerfile that copies only the manifests before `npm ci` is given the
// .ez-pixel/ it needs (its deps stage is replayed: only what it COPYs, then its RUN).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCKER_MARKER } from '../src/plan/dockerfile.js';
import { removeLine } from '../src/plan/line-file.js';
import { replayFirstRun } from './helpers/dockerfile-replay.js';
import { copyFixture, makeProject, removeFixtureCopies } from './helpers/fixtures.js';
import { startTestIngest, type TestIngest } from './helpers/ingest.js';
import { git, quietEnv, runCli, treeDifferences, treeFingerprint } from './install-helpers.js';

let ingest: TestIngest;
const scratch: string[] = [];
beforeAll(async () => {
  ingest = await startTestIngest();
});
afterAll(async () => {
  await ingest.dispose();
  await removeFixtureCopies();
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ez-pixel-elsewhere-'));
  scratch.push(dir);
  return dir;
}

/** The deps stage replayed (test/helpers/dockerfile-replay.ts) with an empty npm cache, as in a fresh image. */
async function replayDepsStage(context: string, dockerfile: string) {
  const replay = await replayFirstRun(context, dockerfile, { ...quietEnv, npm_config_cache: join(tempDir(), 'npm-cache') });
  scratch.push(replay.image);
  return replay;
}

describe('node-docker-npm-ci: committed, cloned elsewhere, built in Docker', () => {
  let dir: string;
  let original: Map<string, string>;

  beforeAll(async () => {
    dir = await copyFixture('node-docker-npm-ci');
    original = treeFingerprint(dir);
  });

  it('installs and adds COPY .ez-pixel before npm ci in the deps stage only', async () => {
    const run = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest.url], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain(`COPY package.json package-lock.json ./\n${DOCKER_MARKER}\nCOPY .ez-pixel ./.ez-pixel\nRUN npm ci --omit=dev\n`);
    expect(dockerfile.split(DOCKER_MARKER)).toHaveLength(2);
  });

  it('commits the tgz despite the project ignoring *.tgz', async () => {
    await git(dir, ['add', '--all']);
    await git(dir, ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', 'commit', '--quiet', '--no-verify', '-m', 'wire ez-pixel']);
    expect((await git(dir, ['ls-files', '.ez-pixel'])).split('\n')).toContain('.ez-pixel/ez-pixel-node-0.2.0.tgz');
  });

  it('a fresh clone at another path installs with npm ci and reports a crash', async () => {
    const clone = join(tempDir(), 'teammate');
    await execa('git', ['clone', '--quiet', dir, clone]);
    const ci = await execa('npm', ['ci'], { cwd: clone, env: { ...quietEnv, npm_config_cache: join(clone, '..', 'npm-cache') }, reject: false });
    expect(ci.exitCode, ci.stderr).toBe(0);
    const crash = await execa(process.execPath, ['src/server.js', '--crash'], { cwd: clone, reject: false, timeout: 30_000 });
    expect(crash.exitCode).toBe(1);
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && !ingest.accepted.some((a) => a.event.type === 'TypeError')) await new Promise((r) => setTimeout(r, 100));
    const event = ingest.accepted.find((a) => a.event.type === 'TypeError')?.event;
    expect(event?.stack.filter((frame) => frame.in_app).map((frame) => frame.file)).toContain('src/prices.js');
  });

  it("the Dockerfile's deps stage installs with the added line, and fails without it", async () => {
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    const built = await replayDepsStage(dir, dockerfile);
    expect(built.exitCode, built.output).toBe(0);
    const withoutOurs = removeLine(removeLine(dockerfile, DOCKER_MARKER)!, 'COPY .ez-pixel ./.ez-pixel')!;
    const broken = await replayDepsStage(dir, withoutOurs);
    expect(broken.exitCode).not.toBe(0);
    expect(broken.output).toMatch(/ez-pixel-node-0\.2\.0\.tgz|ENOENT/);
  });

  it('uninstall takes the Dockerfile lines back: the tree is byte-identical', async () => {
    const run = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(treeDifferences(original, treeFingerprint(dir))).toEqual([]);
  });
});

describe('a published package (bin, not private)', () => {
  it('is not given a file: dependency its users could not install: install stops, names --from-registry, changes nothing', async () => {
    const dir = await makeProject('published-cli', {
      'package.json': '{\n  "name": "published-cli",\n  "version": "1.2.0",\n  "bin": { "published-cli": "cli.js" },\n  "files": ["cli.js"]\n}\n',
      'cli.js': "#!/usr/bin/env node\n'use strict';\nconsole.log('hi');\n",
    });
    const before = treeFingerprint(dir);
    const run = await runCli(['install', '--yes', '--cwd', dir], { cwd: dir });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('package.json has bin and files and is not private');
    expect(run.stderr).toContain('--from-registry');
    expect(treeDifferences(before, treeFingerprint(dir))).toEqual([]);
    expect(existsSync(join(dir, '.ez-pixel'))).toBe(false);
  });
});
