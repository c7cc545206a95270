/**
 * Fixture copies for tests: each call copies test/fixtures/<name> into a fresh temp dir and
 * makes it a git repository with one commit, so a test can change it freely and `git status`
 * shows exactly what ez-pixel touched. Nothing is ever run inside test/fixtures itself.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);

export const fixturesDir = fileURLToPath(new URL('../fixtures/', import.meta.url));

const copies = new Set<string>();

// Fixed identity and no signing: tests must not depend on the machine's git configuration.
const gitConfig = [
  '-c', 'user.name=ez-pixel tests',
  '-c', 'user.email=tests@ez-pixel.invalid',
  '-c', 'commit.gpgsign=false',
  '-c', 'init.defaultBranch=main',
  '-c', 'core.autocrlf=false',
];

async function git(cwd: string, args: string[]): Promise<void> {
  await run('git', [...gitConfig, ...args], { cwd });
}

/**
 * Copies fixture `name` to `<tmp>/ez-pixel-fixture-XXXXXX/<name>`, runs `git init` and commits
 * every file. Returns the absolute path of the copy (its basename is the fixture's name).
 */
export async function copyFixture(name: string): Promise<string> {
  const parent = await mkdtemp(join(tmpdir(), 'ez-pixel-fixture-'));
  copies.add(parent);
  const dir = join(parent, name);
  await cp(join(fixturesDir, name), dir, { recursive: true });
  await git(dir, ['init', '--quiet']);
  await git(dir, ['add', '--all']);
  await git(dir, ['commit', '--quiet', '--no-verify', '--message', `fixture ${name}`]);
  return dir;
}

/**
 * Writes a small project from `files` (path → content, `/`-separated) into a fresh temp dir named
 * `name`, as a git repository with one commit, and returns its absolute path. For one-off layouts
 * a test states inline; shared projects belong in test/fixtures.
 */
export async function makeProject(name: string, files: Record<string, string>): Promise<string> {
  const parent = await mkdtemp(join(tmpdir(), 'ez-pixel-project-'));
  copies.add(parent);
  const dir = join(parent, name);
  await mkdir(dir, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    const target = join(dir, ...path.split('/'));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
  }
  await git(dir, ['init', '--quiet']);
  await git(dir, ['add', '--all']);
  await git(dir, ['commit', '--quiet', '--allow-empty', '--no-verify', '--message', `project ${name}`]);
  return dir;
}

/** Removes every copy and project this process made; call it from afterAll. */
export async function removeFixtureCopies(): Promise<void> {
  const parents = [...copies];
  copies.clear();
  await Promise.all(parents.map((parent) => rm(parent, { recursive: true, force: true })));
}
