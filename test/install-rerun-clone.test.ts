// A re-run of install in a teammate's fresh clone changes no tracked file. Found on sveltejs/realworld:
// the first install planned before node_modules existed, so no prettier formatted
// .ez-pixel/install.json; the clone (npm ci done, .env gitignored so missing) re-created .env, and the
// re-run rewrote the record through the project's prettier (tabs), a whitespace-only diff to commit.
import { writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { copyFixture } from './helpers/fixtures.js';
import { git, quietEnv, runCli, useSuiteIngest } from './install-helpers.js';

const ingest = useSuiteIngest();

describe('re-run in a fresh clone', () => {
  it('install before node_modules exists, commit, clone, npm ci, install again: git status stays clean', async () => {
    const dir = await copyFixture('node-express-prettier');
    writeFileSync(join(dir, '.prettierrc'), '{ "useTabs": true }\n');
    await git(dir, ['commit', '--quiet', '--no-verify', '--all', '--message', 'tabs']);
    const install = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest().url], { cwd: dir });
    expect(install.exitCode, install.stderr).toBe(0);
    await git(dir, ['add', '--all']);
    await git(dir, ['commit', '--quiet', '--no-verify', '--message', 'ez-pixel install']);

    const clone = join(await mkdtemp(join(tmpdir(), 'ez-pixel-clone-')), 'app');
    await git(dir, ['clone', '--quiet', dir, clone]);
    const ci = await execa('npm', ['ci'], { cwd: clone, env: quietEnv, reject: false, all: true, timeout: 300_000 });
    expect(ci.exitCode, String(ci.all)).toBe(0);
    const again = await runCli(['install', '--yes', '--cwd', clone, '--ingest-url', ingest().url], { cwd: clone });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(await git(clone, ['status', '--porcelain'])).toBe('');
  }, 300_000);
});
