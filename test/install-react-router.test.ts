// React Router 7 framework mode is wired automatically: install creates app/entry.server from the
// installed default with the init's import first and a handleError that reports; react-router
// build and react-router-serve then report a failing loader once with {method, path}, the browser
// build holds nothing of the Node SDK, doctor runs the built server's init, and uninstall gives the
// tree back. Remix v2 is still detected and refused with the steps by hand (exit 5).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeProject } from './helpers/fixtures.js';
import { freePort, npmStart, until } from './helpers/run-app.js';
import { expectRerunThenUninstall, installedFixtureBuiltBeforeInstall, quietEnv, runCli, treeDifferences, treeFingerprint, useSuiteIngest } from './install-helpers.js';

const ingest = useSuiteIngest();

describe('Remix v2 is named, not wired', () => {
  it('@remix-run/dev: exit 5 with the steps, nothing changed, --entry app/root.tsx included', async () => {
    const dir = await makeProject('remix-app', {
      'package.json': JSON.stringify({ private: true, type: 'module', scripts: { build: 'remix vite:build', start: 'remix-serve ./build/server/index.js' }, devDependencies: { '@remix-run/dev': '2.0.0', typescript: '^5' } }, null, 2),
      'tsconfig.json': '{ "compilerOptions": { "jsx": "react-jsx" } }\n',
      'app/root.tsx': 'export default function App() {\n  return null;\n}\n',
    });
    const original = treeFingerprint(dir);
    for (const extra of [[], ['--entry', 'app/root.tsx']]) {
      const run = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest().url, ...extra], { cwd: dir });
      expect(run.exitCode, run.stderr).toBe(5);
      expect(run.stderr).toContain('package.json depends on @remix-run/dev: Remix is not supported yet');
      expect(run.stdout).toContain('//      npx remix reveal entry.server\n');
      expect(run.stdout).toContain('export function handleError(error: unknown, { request }: { request: Request }) {');
      expect(run.stderr).toContain('nothing was changed');
      expect(treeDifferences(original, treeFingerprint(dir))).toEqual([]);
    }
  });
});

describe('React Router 7 (npm, react-router build, react-router-serve)', () => {
  let dir = '';
  let original = new Map<string, string>();
  const env = { ...quietEnv };
  const run = (command: string, args: string[]) => execa(command, args, { cwd: dir, env, reject: false, all: true, timeout: 300_000 });
  const cli = (args: string[]) => runCli([...args, '--cwd', dir], { cwd: dir, env });

  beforeAll(async () => {
    ({ dir, original } = await installedFixtureBuiltBeforeInstall('node-react-router'));
  }, 600_000);

  it('install creates app/entry.server.jsx from the installed default: the init first, handleError last', async () => {
    const install = await cli(['install', '--yes', '--ingest-url', ingest().url]);
    expect(install.exitCode, install.stderr).toBe(0);
    expect(install.stderr).toContain('npm run build && npm start');
    const entry = readFileSync(join(dir, 'app', 'entry.server.jsx'), 'utf8');
    const revealed = readFileSync(join(dir, 'node_modules', '@react-router', 'dev', 'dist', 'config', 'defaults', 'entry.server.node.tsx'), 'utf8');
    expect(entry.split('\n').slice(0, 2)).toEqual([
      "import './ez-pixel.init.server.mjs'; // ez-pixel",
      "import { captureRouterError } from '@ez-pixel/node'; // ez-pixel",
    ]);
    expect(revealed).toContain('routerContext: EntryContext,');
    expect(entry).toContain('  routerContext,\n'); // the default's own code, its types taken out
    expect(entry).not.toMatch(/import type|: EntryContext|: unknown\)/);
    expect(entry).toContain('export function handleError(error, args) {\n  captureRouterError(error, args);\n}');
    expect(readFileSync(join(dir, 'app', 'ez-pixel.init.server.mjs'), 'utf8')).toContain("import { initPixel } from '@ez-pixel/node';");
  }, 300_000);

  it('doctor fails on the build made before install, with the fix; after a rebuild every check passes and the probe runs the server build', async () => {
    const stale = await cli(['doctor']);
    expect(stale.exitCode, stale.stdout).not.toBe(0);
    expect(stale.stdout).toContain('build/server/index.js was built without app/ez-pixel.init.server.mjs');
    expect(stale.stdout).toContain('fix: rebuild, then restart: npm run build && npm start');
    const build = await run('npm', ['run', 'build']);
    expect(build.exitCode, String(build.all)).toBe(0);
    const before = ingest().accepted.length;
    const doctor = await cli(['doctor']);
    expect(doctor.exitCode, doctor.stdout).toBe(0);
    expect(doctor.stdout).toContain('build/server/index.js holds the init; build/client holds none of the Node SDK');
    expect(doctor.stdout).toContain('React Router builds app/entry.server.jsx into its server build');
    const probe = await until(() => ingest().accepted.slice(before).find((accepted) => accepted.event.message.includes('doctor probe'))?.event, 10_000, () => 'the probe');
    expect(probe.stack.map((frame) => frame.file)).toContain('build/server/index.js');
    for (const file of readdirSync(join(dir, 'build', 'client', 'assets')).filter((name) => name.endsWith('.js'))) {
      const chunk = readFileSync(join(dir, 'build', 'client', 'assets', file), 'utf8');
      expect(chunk, file).not.toContain('ezPixelDotenv');
      expect(chunk, file).not.toContain('@ez-pixel/node');
    }
  }, 300_000);

  it('react-router-serve reports the failing loader once, with {method, path} and no secrets; a 404 is no event', async () => {
    const port = await freePort();
    const server = npmStart(dir, { PORT: String(port), HOST: '127.0.0.1' });
    try {
      await until(() => (server.output().includes(`:${port}`) ? true : undefined), 60_000, () => `react-router-serve:\n${server.output()}`);
      const base = `http://127.0.0.1:${port}`;
      const before = ingest().accepted.length;
      expect((await fetch(base)).status).toBe(200);
      expect((await fetch(`${base}/favicon.ico`)).status).toBe(404); // React Router calls handleError for it too
      expect((await fetch(`${base}/invoices?token=secret`, { headers: { cookie: 'session=secret' } })).status).toBe(500);
      const event = await until(() => ingest().accepted[before]?.event, 30_000, () => `an event; the server said:\n${server.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 1500)); // a duplicate would arrive by now
      expect(ingest().accepted.slice(before).map((accepted) => accepted.event.message)).toEqual(['react-router invoices loader failed']);
      expect(event.context).toMatchObject({ request: { method: 'GET', path: '/invoices' } });
      expect(event.stack.filter((frame) => frame.in_app).map((frame) => frame.file)).toContain('build/server/index.js');
      expect(JSON.stringify(event)).not.toContain('secret');
    } finally {
      await server.stop();
    }
  }, 120_000);

  it('a re-run changes nothing; uninstall deletes the entry it created and removes the SDK: the tree is as before', async () => {
    // What the builds made (build/, .react-router/, Vite's temp dir) and npm's empty @ez-pixel/ scope are not the project's files.
    const made = /^(build|\.react-router|node_modules\/\.vite-temp|node_modules\/@ez-pixel)\//;
    await expectRerunThenUninstall(dir, original, ingest().url, made);
  }, 300_000);
});
