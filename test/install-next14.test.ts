// Next.js 14 end to end (one test: next build is slow): install --yes enables
// experimental.instrumentationHook in next.config.mjs and wires register(); after a real
// `next build` and `next start`, a failing route handler, pages API route and server component each
// reach the ingest exactly once, with the method and path only. Next 14 never calls onRequestError:
// these come through the SDK's span processor and Next's own error logging. Uninstall then leaves
// every tracked file byte-identical. Below 13.2 install stops with the snippet (exit 5).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { copyFixture, makeProject } from './helpers/fixtures.js';
import { npmStart, until } from './helpers/run-app.js';
import { git, quietEnv, runCli, useSuiteIngest } from './install-helpers.js';

const ingest = useSuiteIngest();

const env = { NEXT_TELEMETRY_DISABLED: '1' };

describe('Next.js 14 (13.2–14.x)', () => {
  it('install → next build → next start: route handler, pages API and server component errors each reported once → uninstall', async () => {
    const dir = await copyFixture('node-next14');
    const install = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest().url], { cwd: dir, env });
    expect(install.exitCode, install.stderr).toBe(0);
    expect(readFileSync(join(dir, 'next.config.mjs'), 'utf8')).toBe(
      "/** @type {import('next').NextConfig} */\nconst nextConfig = {};\n\nnextConfig.experimental = { ...nextConfig.experimental, instrumentationHook: true }; // ez-pixel\nexport default nextConfig;\n",
    );
    expect(readFileSync(join(dir, 'ez-pixel.init.mjs'), 'utf8')).toContain('reportNextErrors();');

    const build = await execa('npm', ['run', 'build'], { cwd: dir, env: { ...quietEnv, ...env }, reject: false, all: true, timeout: 300_000 });
    expect(build.exitCode, String(build.all)).toBe(0);

    const seen = ingest().accepted.length;
    const server = npmStart(dir, env);
    try {
      const port = await until(() => (server.output().includes('Ready') ? /127\.0\.0\.1:(\d+)/.exec(server.output())?.[1] : undefined), 60_000, () => `next start:\n${server.output()}`);
      const base = `http://127.0.0.1:${port}`;
      expect((await fetch(base)).status).toBe(200);
      for (const path of ['/api/reports', '/api/legacy', '/dashboard']) {
        expect((await fetch(`${base}${path}?token=secret`, { headers: { cookie: 'session=secret' } })).status, path).toBe(500);
      }
      await until(() => (ingest().accepted.length - seen >= 3 ? true : undefined), 30_000, () => `three events; next said:\n${server.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 1500)); // a duplicate would arrive by now
      const events = ingest().accepted.slice(seen).map((accepted) => accepted.event);
      const byMessage = new Map(events.map((event) => [event.message, event]));
      expect(events.map((event) => event.message).sort()).toEqual(['next14 pages api route failed', 'next14 route handler failed', 'next14 server component failed']);
      const expected: [string, string, string][] = [
        ['next14 route handler failed', '/api/reports', '.next/server/app/api/reports/route.js'],
        ['next14 pages api route failed', '/api/legacy', '.next/server/pages/api/legacy.js'],
        ['next14 server component failed', '/dashboard', '.next/server/app/dashboard/page.js'],
      ];
      for (const [message, path, file] of expected) {
        const event = byMessage.get(message);
        expect(event?.context, message).toEqual({ request: { method: 'GET', path } });
        expect(event?.stack.filter((frame) => frame.in_app).map((frame) => frame.file), message).toContain(file);
        expect(event?.stack.filter((frame) => frame.in_app && frame.file.startsWith('webpack:')), message).toEqual([]);
      }
      // Next's runtime, mapped by Node through its shipped maps (webpack://next/dist/…), is library code.
      for (const message of ['next14 route handler failed', 'next14 server component failed']) {
        const runtime = byMessage.get(message)!.stack.filter((frame) => frame.file.startsWith('next/dist/'));
        expect(runtime.length, message).toBeGreaterThan(0);
        expect(runtime.filter((frame) => frame.in_app), message).toEqual([]);
      }
      expect(JSON.stringify(events)).not.toContain('secret');
    } finally {
      await server.stop();
    }

    const uninstall = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir });
    expect(uninstall.exitCode, uninstall.stderr).toBe(0);
    const left = (await git(dir, ['status', '--porcelain', '--ignored'])).split('\n').filter((line) => line && !/ (package-lock\.json|\.next\/|next-env\.d\.ts)$/.test(line));
    expect(left).toEqual([]);
  }, 600_000);

  it("with the app's own OpenTelemetry (@vercel/otel registerOTel): a route handler's error is reported once, and the app's spans still reach its own processor", async () => {
    const dir = await copyFixture('node-next14-otel');
    const install = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest().url], { cwd: dir, env });
    expect(install.exitCode, install.stderr).toBe(0);
    expect(readFileSync(join(dir, 'instrumentation.js'), 'utf8')).toMatch(/export async \/\* ez-pixel \*\/ function register\(\) \{\n {2}if \(process\.env\.NEXT_RUNTIME === 'nodejs'\) await import\('\.\/ez-pixel\.init\.mjs'\); \/\/ ez-pixel\n {2}registerOTel\(/);

    const build = await execa('npm', ['run', 'build'], { cwd: dir, env: { ...quietEnv, ...env }, reject: false, all: true, timeout: 300_000 });
    expect(build.exitCode, String(build.all)).toBe(0);

    const seen = ingest().accepted.length;
    const server = npmStart(dir, env);
    try {
      const port = await until(() => (server.output().includes('Ready') ? /127\.0\.0\.1:(\d+)/.exec(server.output())?.[1] : undefined), 60_000, () => `next start:\n${server.output()}`);
      const base = `http://127.0.0.1:${port}`;
      expect((await fetch(base)).status).toBe(200);
      expect((await fetch(`${base}/api/reports?token=secret`, { headers: { cookie: 'session=secret' } })).status).toBe(500);
      const event = await until(() => ingest().accepted.slice(seen)[0]?.event, 30_000, () => `an event; next said:\n${server.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 1500)); // a duplicate would arrive by now
      expect(ingest().accepted.slice(seen).map((accepted) => accepted.event.message)).toEqual(['next14 otel route handler failed']);
      expect(event.context).toEqual({ request: { method: 'GET', path: '/api/reports' } });
      expect(event.stack.filter((frame) => frame.in_app).map((frame) => frame.file)).toContain('.next/server/app/api/reports/route.js');
      expect(JSON.stringify(event)).not.toContain('secret');
      // The app's provider is still the one tracing: its own span processor saw the route's span.
      expect(server.output()).toMatch(/app otel span ended: .*\/api\/reports/);
    } finally {
      await server.stop();
    }

    const uninstall = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir });
    expect(uninstall.exitCode, uninstall.stderr).toBe(0);
    const left = (await git(dir, ['status', '--porcelain', '--ignored'])).split('\n').filter((line) => line && !/ (package-lock\.json|\.next\/|next-env\.d\.ts)$/.test(line));
    expect(left).toEqual([]);
  }, 600_000);

  it('below 13.2: exit 5 with the snippet, nothing changed', async () => {
    const dir = await makeProject('next12', {
      'package.json': JSON.stringify({ name: 'old', private: true, dependencies: { next: '^12.3.4', react: '^17' } }),
      'pages/index.js': 'export default function Home() { return null; }\n',
    });
    const install = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest().url], { cwd: dir });
    expect(install.exitCode).toBe(5);
    expect(install.stderr + install.stdout).toMatch(/Next\.js 12\.3 .*has no instrumentation hook/);
    expect(install.stdout).toContain("reportPixel('request failed', { error })");
    expect(await git(dir, ['status', '--porcelain', '--ignored'])).toBe('');
  });
});
