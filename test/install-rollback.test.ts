// The transaction under real failures: npm really fails (its registry answers 404 for a
// dependency the project already declares), and npm is really interrupted (SIGINT to the CLI
// while npm waits on a registry that never answers). Both leave the tree byte-identical.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyFixture, removeFixtureCopies } from './helpers/fixtures.js';
import { git, runCli, startCli, startFakeRegistry, treeDifferences, treeFingerprint } from './install-helpers.js';

afterAll(removeFixtureCopies);

/** A node-plain-npm copy whose package.json also needs `dependency` from the registry (committed). */
async function fixtureNeeding(dependency: string): Promise<string> {
  const dir = await copyFixture('node-plain-npm');
  const manifest = { name: 'fixture-node-plain-npm', version: '1.0.0', private: true, main: 'index.js', dependencies: { [dependency]: '1.0.0' } };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await git(dir, ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', 'commit', '--quiet', '-am', 'needs a package']);
  return dir;
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('rollback', () => {
  it('uninstall interrupted while npm runs: exit 4, the wired project is left exactly as it was', async () => {
    const dir = await copyFixture('node-plain-npm');
    const install = await runCli(['install', '--yes', '--cwd', dir], { cwd: dir });
    expect(install.exitCode, install.stderr).toBe(0);
    // A dependency npm must now fetch makes `npm uninstall` wait on a registry that never answers.
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    manifest.dependencies['ez-pixel-test-slow-package'] = '1.0.0';
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const wired = treeFingerprint(dir);
    const registry = await startFakeRegistry('hang');
    try {
      const cli = startCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir, env: { npm_config_registry: registry.url } });
      let stderr = '';
      cli.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      await until(() => registry.requests > 0, 60_000, 'npm to ask the registry');
      cli.kill('SIGINT');
      const result = await cli;
      expect(result.exitCode, stderr).toBe(4);
      await until(async () => (await registry.openConnections()) === 0, 10_000, 'npm to let go of the registry');
      expect(treeDifferences(wired, treeFingerprint(dir))).toEqual([]);
    } finally {
      await registry.close();
    }
  });

  it('a failing npm: exit 4, the command and its output shown, a log named, every byte restored', async () => {
    const registry = await startFakeRegistry('missing');
    try {
      const dir = await fixtureNeeding('ez-pixel-test-no-such-package');
      const original = treeFingerprint(dir);
      const run = await runCli(['install', '--yes', '--cwd', dir], { cwd: dir, env: { npm_config_registry: registry.url } });
      expect(run.exitCode, run.stderr).toBe(4);
      expect(registry.requests).toBeGreaterThan(0);
      expect(run.stderr).toContain('command: npm install --no-audit --no-fund file:.ez-pixel/ez-pixel-node-0.2.0.tgz');
      expect(run.stderr).toMatch(/last output:[\s\S]*(404|E404)/);
      const log = /full log: (\S+)/.exec(run.stderr)?.[1];
      expect(log).toBeDefined();
      expect(log?.startsWith(dir)).toBe(false); // never inside the project
      expect(readFileSync(log as string, 'utf8')).toMatch(/E404/);
      rmSync(log as string, { force: true });
      expect(run.stderr).toMatch(/every file was restored/);
      expect(treeDifferences(original, treeFingerprint(dir))).toEqual([]);
      expect(await git(dir, ['status', '--porcelain', '--ignored'])).toBe('');
    } finally {
      await registry.close();
    }
  });

  it('SIGINT while npm runs: npm is stopped, exit 4, every byte restored', async () => {
    const registry = await startFakeRegistry('hang');
    try {
      const dir = await fixtureNeeding('ez-pixel-test-slow-package');
      const original = treeFingerprint(dir);
      const cli = startCli(['install', '--yes', '--cwd', dir], { cwd: dir, env: { npm_config_registry: registry.url } });
      let stderr = '';
      cli.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      await until(() => registry.requests > 0, 60_000, 'npm to ask the registry');
      expect(stderr).toContain('Running npm install');
      cli.kill('SIGINT');
      const result = await cli;
      expect(result.exitCode, stderr).toBe(4);
      expect(stderr).toMatch(/interrupted; every file was restored/);
      // npm's own connection to the registry is gone: its process group was stopped.
      await until(async () => (await registry.openConnections()) === 0, 10_000, 'npm to let go of the registry');
      expect(treeDifferences(original, treeFingerprint(dir))).toEqual([]);
      expect(await git(dir, ['status', '--porcelain', '--ignored'])).toBe('');
    } finally {
      await registry.close();
    }
  });
});
