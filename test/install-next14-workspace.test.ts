// Next.js 14 in apps/web of a pnpm workspace whose prettier config (semi: false) lives at the
// workspace root only, the layout of Yuefii/starter-monorepo. There install wrote the flag as a
// line starting with `(` after a config without semicolons, so next.config.js called the object
// literal and threw, and it formatted nothing, since it looked for prettier's config in apps/web
// alone. Here: real pnpm, the config loads with the flag, the files install created pass the
// workspace's `prettier --check`, doctor fails the build made before install (next start would
// serve it without instrumentation, found on sufiyaan14/Job-Concurrency) and passes the one made
// after, `pnpm web start` reports a failing API route once, and uninstall leaves the tree as it was.
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { copyFixture } from './helpers/fixtures.js';
import { until } from './helpers/run-app.js';
import { doctorChecks, git, quietEnv, runCli, useSuiteIngest } from './install-helpers.js';

const ingest = useSuiteIngest();

const env = { ...quietEnv, NEXT_TELEMETRY_DISABLED: '1' };

/** `git status` lines, without what the package manager and Next write themselves. */
async function changedPaths(dir: string): Promise<string[]> {
  const status = await git(dir, ['status', '--porcelain', '--untracked-files=all']);
  return status.split('\n').filter((line) => line && !/ pnpm-lock\.yaml$/.test(line));
}

describe('Next.js 14 in a pnpm workspace, prettier at the workspace root', () => {
  it('install --cwd apps/web → the config loads, prettier --check passes → next build → pnpm web start reports → uninstall', async () => {
    const dir = await copyFixture('pnpm-next14-workspace');
    const web = join(dir, 'apps', 'web');
    const setup = await execa('pnpm', ['install'], { cwd: dir, env, reject: false, all: true, timeout: 300_000 });
    expect(setup.exitCode, String(setup.all)).toBe(0);
    await git(dir, ['add', '--all']);
    await git(dir, ['commit', '--quiet', '--no-verify', '--message', 'pnpm install']);

    const before = await execa('pnpm', ['web', 'build'], { cwd: dir, env, reject: false, all: true, timeout: 300_000 });
    expect(before.exitCode, String(before.all)).toBe(0);

    const install = await runCli(['install', '--yes', '--cwd', 'apps/web', '--ingest-url', ingest().url], { cwd: dir, env });
    expect(install.exitCode, install.stderr).toBe(0);
    expect(install.stderr).toContain('2. pnpm build && pnpm start (or however you start the app)');
    const stale = (await doctorChecks(web)).checks.get('build');
    expect(stale).toMatchObject({ status: 'fail', fix: 'rebuild, then restart: pnpm build && pnpm start' });
    expect(stale?.message).toContain('the .next build was made before instrumentation.js existed');

    // Node loads the config the way Next does: it must not throw, and it holds the flag.
    const config = await execa('node', ['-p', "JSON.stringify(require('./next.config.js'))"], { cwd: web, reject: false });
    expect(config.stderr).toBe('');
    expect(JSON.parse(config.stdout)).toEqual({ reactStrictMode: true, experimental: { instrumentationHook: true } });

    const touched = (await changedPaths(dir)).map((line) => line.slice(3)).filter((path) => /\.(c|m)?(j|t)s$/.test(path));
    expect(touched).toEqual(expect.arrayContaining(['apps/web/instrumentation.js', 'apps/web/next.config.js']));
    const check = await execa(join(dir, 'node_modules', '.bin', 'prettier'), ['--check', ...touched], { cwd: dir, reject: false, all: true });
    expect(check.exitCode, String(check.all)).toBe(0);

    const build = await execa('pnpm', ['web', 'build'], { cwd: dir, env, reject: false, all: true, timeout: 300_000 });
    expect(build.exitCode, String(build.all)).toBe(0);
    expect((await doctorChecks(web)).checks.get('build')).toMatchObject({ status: 'pass', message: 'the .next build holds instrumentation.js' });

    const server = execa('pnpm', ['web', 'start'], { cwd: dir, env: { ...env, PORT: '0' }, reject: false, all: true, detached: true, timeout: 180_000 });
    let output = '';
    server.all?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const port = await until(() => (output.includes('Ready') ? /127\.0\.0\.1:(\d+)/.exec(output)?.[1] : undefined), 60_000, () => `pnpm web start:\n${output}`);
      const base = `http://127.0.0.1:${port}`;
      expect((await fetch(`${base}/api/reports?token=secret`)).status).toBe(500);
      const event = await until(() => ingest().accepted[0]?.event, 30_000, () => `an event; next said:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 1500)); // a duplicate would arrive by now
      expect(ingest().accepted.map((accepted) => accepted.event.message)).toEqual(['workspace pages api route failed']);
      expect(event.context).toEqual({ request: { method: 'GET', path: '/api/reports' } });
      expect(event.stack.filter((frame) => frame.in_app).map((frame) => frame.file)).toContain('.next/server/pages/api/reports.js');
    } finally {
      if (server.pid) process.kill(-server.pid, 'SIGTERM');
      await server;
    }

    const uninstall = await runCli(['uninstall', '--yes', '--cwd', 'apps/web'], { cwd: dir, env });
    expect(uninstall.exitCode, uninstall.stderr).toBe(0);
    expect(await changedPaths(dir)).toEqual([]);
  }, 900_000);
});
