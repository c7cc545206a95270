// React Router's framework mode (and Remix) is detected and not wired automatically: its modules
// are bundled for the browser too, so `--entry app/root.tsx` put the Node SDK and the project key
// into the client bundle, and it catches loader errors itself (found on
// remix-run/react-router-templates). Install exits 5 with the steps by hand and changes nothing;
// those printed steps, followed on a real React Router 7 app (npm, react-router build,
// react-router-serve), report a failing loader once with {method, path}, keep the SDK out of the
// browser build, and uninstall takes back what ez-pixel wrote.
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { copyFixture, makeProject } from './helpers/fixtures.js';
import { freePort, until } from './helpers/run-app.js';
import { git, quietEnv, runCli, treeDifferences, treeFingerprint, useSuiteIngest } from './install-helpers.js';

const ingest = useSuiteIngest();

describe('React Router framework mode and Remix are named, not wired', () => {
  it.each([
    ['@react-router/dev', 'React Router (framework mode)', 'npx react-router reveal entry.server'],
    ['@remix-run/dev', 'Remix', 'npx remix reveal entry.server'],
  ])('%s: exit 5 with the steps, nothing changed, --entry app/root.tsx included', async (dependency, name, reveal) => {
    const dir = await makeProject('router-app', {
      'package.json': JSON.stringify({ private: true, type: 'module', scripts: { build: 'x build', start: 'x-serve ./build/server/index.js' }, devDependencies: { [dependency]: '2.0.0', typescript: '^5' } }, null, 2),
      'tsconfig.json': '{ "compilerOptions": { "jsx": "react-jsx" } }\n',
      'app/root.tsx': 'export default function App() {\n  return null;\n}\n',
    });
    const original = treeFingerprint(dir);
    for (const extra of [[], ['--entry', 'app/root.tsx']]) {
      const run = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest().url, ...extra], { cwd: dir });
      expect(run.exitCode, run.stderr).toBe(5);
      expect(run.stderr).toContain(`package.json depends on ${dependency}: ${name} is not supported yet`);
      expect(run.stdout).toContain(`//      ${reveal}\n`);
      expect(run.stdout).toContain('npx ez-pixel install --framework plain --entry app/entry.server.tsx');
      expect(run.stdout).toContain('export function handleError(error: unknown, { request }: { request: Request }) {');
      expect(run.stderr).toContain('nothing was changed');
      expect(treeDifferences(original, treeFingerprint(dir))).toEqual([]);
    }
  });
});

describe('React Router 7, the printed steps followed by hand', () => {
  it('reveal, install --framework plain, the handleError lines → react-router build and serve report the loader error → uninstall', async () => {
    const dir = await copyFixture('node-react-router');
    const env = { ...quietEnv };
    const setup = await execa('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir, env, reject: false, all: true, timeout: 300_000 });
    expect(setup.exitCode, String(setup.all)).toBe(0);
    await git(dir, ['add', '--all']);
    await git(dir, ['commit', '--quiet', '--no-verify', '--message', 'npm install']);

    const refused = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest().url], { cwd: dir, env });
    expect(refused.exitCode, refused.stderr).toBe(5);
    const steps = refused.stdout.trimEnd().split('\n');
    expect(steps).toContain('//      npx ez-pixel install --framework plain --entry app/entry.server.jsx');
    expect(steps).toContain('//      npx react-router reveal entry.server --no-typescript');
    const reveal = await execa('npx', ['react-router', 'reveal', 'entry.server', '--no-typescript'], { cwd: dir, env, reject: false, all: true, timeout: 120_000 });
    expect(reveal.exitCode, String(reveal.all)).toBe(0);
    await git(dir, ['add', '--all']);
    await git(dir, ['commit', '--quiet', '--no-verify', '--message', 'reveal entry.server']);

    const install = await runCli(['install', '--yes', '--framework', 'plain', '--entry', 'app/entry.server.jsx', '--cwd', dir, '--ingest-url', ingest().url], { cwd: dir, env });
    expect(install.exitCode, install.stderr).toBe(0);
    // Step 3 as printed: every line after the comments, appended to the entry.
    appendFileSync(join(dir, 'app', 'entry.server.jsx'), `\n${steps.filter((line) => !line.startsWith('//')).join('\n')}\n`);

    const build = await execa('npm', ['run', 'build'], { cwd: dir, env, reject: false, all: true, timeout: 300_000 });
    expect(build.exitCode, String(build.all)).toBe(0);
    const assets = join(dir, 'build', 'client', 'assets');
    for (const file of readdirSync(assets).filter((name) => name.endsWith('.js'))) {
      expect(readFileSync(join(assets, file), 'utf8'), file).not.toContain('initPixel');
    }

    const port = await freePort();
    const server = execa('npm', ['start'], { cwd: dir, env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, reject: false, all: true, detached: true, timeout: 180_000 });
    let output = '';
    server.all?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await until(() => (output.includes(`:${port}`) ? true : undefined), 60_000, () => `react-router-serve:\n${output}`);
      const base = `http://127.0.0.1:${port}`;
      expect((await fetch(base)).status).toBe(200);
      expect((await fetch(`${base}/invoices?token=secret`, { headers: { cookie: 'session=secret' } })).status).toBe(500);
      const event = await until(() => ingest().accepted[0]?.event, 30_000, () => `an event; the server said:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 1500)); // a duplicate would arrive by now
      expect(ingest().accepted.map((accepted) => accepted.event.message)).toEqual(['react-router invoices loader failed']);
      expect(event.context).toMatchObject({ request: { method: 'GET', path: '/invoices' } });
      expect(event.stack.filter((frame) => frame.in_app).map((frame) => frame.file)).toContain('build/server/index.js');
      expect(JSON.stringify(event)).not.toContain('secret');
    } finally {
      if (server.pid) process.kill(-server.pid, 'SIGTERM');
      await server;
    }

    const uninstall = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir, env });
    expect(uninstall.exitCode, uninstall.stderr).toBe(0);
    // What is left is the user's own step 3; the import of the init is gone with the init.
    expect((await git(dir, ['status', '--porcelain'])).trim()).toBe('M app/entry.server.jsx');
    expect(readFileSync(join(dir, 'app', 'entry.server.jsx'), 'utf8')).not.toContain('ez-pixel.init');
  }, 900_000);
});
