// A tRPC standalone server in the `server` package of a pnpm workspace whose root package.json
// declares no dependencies, the layout of suejon/simple-trpc-server-client. There
// `install --entry server/index.ts` wired the init but read the root's package.json, saw a plain
// app and added no tRPC hook, so a failing procedure was never reported. An entry inside a
// workspace member makes that member the project, as `--cwd server --entry index.js` does: its
// framework, its dependency, its hooks and its record. Here: real pnpm, `pnpm start` at the root
// as the workspace runs it, one event per failing procedure at a real ingest, doctor green from
// the root, and uninstall from the root leaving the tree as it was.
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { detect } from '../src/detectors/index.js';
import { copyFixture, makeProject } from './helpers/fixtures.js';
import { until } from './helpers/run-app.js';
import { doctorChecks, git, quietEnv, runCli, useSuiteIngest } from './install-helpers.js';

const ingest = useSuiteIngest();

describe('tRPC in a pnpm workspace member, --entry given from the workspace root', () => {
  it('detection: the member is the project, with its framework and the entry relative to it', async () => {
    const dir = await copyFixture('pnpm-trpc-member');
    const detection = await detect(dir, { entry: 'server/index.js' });
    if (detection.kind !== 'project') throw new Error(`expected a project, got ${JSON.stringify(detection)}`);
    expect(detection.project).toMatchObject({ root: join(dir, 'server'), framework: 'trpc', entry: 'index.js', packageManager: 'pnpm', workspaceRoot: dir });
    expect(detection.project.evidence[0]).toEqual({
      about: 'workspace',
      says: 'server/index.js lies in the workspace package server/package.json, so that package is the project (entry index.js)',
    });
  });

  it.each(['express', 'fastify', 'koa', 'hono'])('detection: %s declared only in a member is the framework, even under an explicit --cwd', async (framework) => {
    const dir = await makeProject(`${framework}-member`, {
      'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['apps/*'] }),
      'apps/api/package.json': JSON.stringify({ name: 'api', private: true, scripts: { start: 'node src/main.js' }, dependencies: { [framework]: '*' } }),
      'apps/api/src/main.js': 'console.log("api");\n',
    });
    const detection = await detect(dir, { entry: 'apps/api/src/main.js', exactDir: true });
    if (detection.kind !== 'project') throw new Error(`expected a project, got ${JSON.stringify(detection)}`);
    expect(detection.project).toMatchObject({ root: join(dir, 'apps', 'api'), framework, entry: 'src/main.js' });
  });

  it('install --entry server/index.js → pnpm start reports each failing procedure once → doctor → uninstall', async () => {
    const dir = await copyFixture('pnpm-trpc-member');
    const setup = await execa('pnpm', ['install', '--no-frozen-lockfile'], { cwd: dir, env: quietEnv, reject: false, all: true, timeout: 300_000 });
    expect(setup.exitCode, String(setup.all)).toBe(0);
    await git(dir, ['add', '--all']);
    await git(dir, ['commit', '--quiet', '--no-verify', '--message', 'pnpm install']);

    const install = await runCli(['install', '--yes', '--entry', 'server/index.js', '--ingest-url', ingest().url], { cwd: dir });
    expect(install.exitCode, install.stderr).toBe(0);
    expect(install.stderr).toContain('node / trpc, pnpm, entry index.js');
    expect(await git(dir, ['diff', '--', 'server/index.js'])).toMatch(/^\+\s*onError: trpcOnError\(\), \/\/ ez-pixel$/m);
    expect(await git(dir, ['diff', '--', 'server/package.json'])).toMatch(/^\+\s*"@ez-pixel\/node": "file:\.ez-pixel\/ez-pixel-node-/m);
    expect(await git(dir, ['diff', '--', 'package.json'])).toBe('');

    const seen = ingest().accepted.length;
    const server = execa('pnpm', ['start'], { cwd: dir, env: { ...quietEnv, PORT: '0' }, reject: false, all: true, detached: true, timeout: 180_000 });
    let output = '';
    server.all?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const port = await until(() => /listening on (\d+)/.exec(output)?.[1], 60_000, () => `pnpm start to listen:\n${output}`);
      const base = `http://127.0.0.1:${port}`;
      expect((await fetch(`${base}/greeting`)).status).toBe(200);
      for (const procedure of ['invoice', 'ledger']) {
        expect((await fetch(`${base}/${procedure}?token=secret`, { headers: { cookie: 'session=secret' } })).status).toBe(500);
      }
      await until(() => (ingest().accepted.length - seen >= 2 ? true : undefined), 30_000, () => `two events; the app said:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 1500)); // a duplicate would arrive by now
      const events = ingest().accepted.slice(seen).map((accepted) => accepted.event);
      expect(events.map((event) => event.message).sort()).toEqual(['member invoice total negative', 'member ledger page out of range']);
      for (const event of events) {
        expect(event.stack.filter((frame) => frame.in_app).map((frame) => frame.file)).toContain('src/router.js');
        expect(JSON.stringify(event)).not.toContain('secret');
      }
      expect(events.map((event) => (event.context as { request?: { path: string } }).request?.path).sort()).toEqual(['/invoice', '/ledger']);
    } finally {
      if (server.pid) process.kill(-server.pid, 'SIGTERM');
      await server;
    }

    const doctor = await doctorChecks(join(dir, 'server'));
    expect(doctor.exitCode, JSON.stringify([...doctor.checks.values()])).toBe(0);
    expect(doctor.checks.get('project')?.message).toBe('node · trpc · pnpm · entry index.js');

    const uninstall = await runCli(['uninstall', '--yes'], { cwd: dir });
    expect(uninstall.exitCode, uninstall.stderr).toBe(0);
    expect(await git(dir, ['status', '--porcelain', '--untracked-files=all'])).toBe('');
  }, 600_000);
});
