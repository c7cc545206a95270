// pdm's lockfile after uninstall (found on frostming/marko): pdm.lock carries a content_hash of
// the pyproject's dependencies and sources. Real pdm locks a pdm-backend library whose pdm.lock is
// committed, ez-pixel installs and uninstalls, and pdm.lock must come back byte for byte, with
// `pdm lock --check` agreeing it is fresh, also when the user changed pyproject.toml meanwhile.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { copyFixture, removeFixtureCopies } from './helpers/fixtures.js';
import { git, runCli } from './install-helpers.js';

const env = { PDM_CHECK_UPDATE: 'false' };

afterAll(removeFixtureCopies);

async function pdm(dir: string, args: string[]): Promise<{ exitCode: number; all: string }> {
  const run = await execa('pdm', args, { cwd: dir, env, reject: false, all: true, timeout: 240_000 });
  return { exitCode: run.exitCode ?? -1, all: String(run.all) };
}

/** The fixture with its own pdm.lock committed and its environment installed, as a pdm project is. */
async function lockedProject(): Promise<string> {
  const dir = await copyFixture('py-pdm-library');
  for (const args of [['lock'], ['install']]) {
    const run = await pdm(dir, args);
    expect(run.exitCode, run.all).toBe(0);
  }
  await git(dir, ['add', 'pdm.lock']);
  await git(dir, ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', 'commit', '--quiet', '--message', 'lock']);
  return dir;
}

async function install(dir: string): Promise<void> {
  const run = await runCli(['install', '--yes', '--ingest-url', 'http://127.0.0.1:9'], { cwd: dir, env });
  expect(run.exitCode, run.stderr).toBe(0);
  expect(readFileSync(join(dir, 'pdm.lock'), 'utf8')).toContain('name = "ez-pixel"');
}

async function uninstall(dir: string): Promise<string> {
  const run = await runCli(['uninstall', '--yes'], { cwd: dir, env });
  expect(run.exitCode, run.stderr).toBe(0);
  return run.stderr;
}

describe('pdm uninstall and pdm.lock', () => {
  it('gives pdm.lock back byte for byte, and pdm calls it fresh', async () => {
    const dir = await lockedProject();
    await install(dir);
    const stderr = await uninstall(dir);
    expect(await git(dir, ['status', '--porcelain'])).toBe('');
    expect((await pdm(dir, ['lock', '--check'])).exitCode).toBe(0);
    // pyproject.toml is written twice (the source out before pdm remove, then the original back): one line says so.
    expect(stderr.match(/modified pyproject\.toml/g)).toHaveLength(1);
  });

  it('takes the find-links source out even when pyproject.toml changed after install', async () => {
    const dir = await lockedProject();
    await install(dir);
    const pyproject = join(dir, 'pyproject.toml');
    await execa('sed', ['-i', 's/^version = "0.3.0"$/version = "0.3.1"/', pyproject]);
    const stderr = await uninstall(dir);
    expect(stderr).toContain('pyproject.toml changed after install; pdm remove ez-pixel updates it');
    // Only the user's own change is left; our source (it pointed into the deleted .ez-pixel/) is gone.
    const diff = await git(dir, ['diff', '--unified=0', '--', 'pyproject.toml']);
    expect(diff.split('\n').filter((line) => /^[-+][^-+]/.test(line))).toEqual(['-version = "0.3.0"', '+version = "0.3.1"']);
    expect(await git(dir, ['status', '--porcelain'])).toBe(' M pyproject.toml\n'.trimEnd());
    expect((await pdm(dir, ['lock', '--check'])).exitCode).toBe(0);
  });
});
