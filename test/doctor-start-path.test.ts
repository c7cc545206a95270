// doctor never gives a false green on the start path: an init wired into a file the start script
// never loads reports nothing, so entry-runs fails (exit 1), naming the start file and the fix.
// doctor follows the imports from what package.json starts (through compiled output back to its
// source), reads the entry recorded in .ez-pixel/install.json, and only warns where it cannot tell.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFixture, makeProject } from './helpers/fixtures.js';
import { doctorChecks, runCli, useSuiteIngest } from './install-helpers.js';

const ingest = useSuiteIngest();

async function crashReported(dir: string, type: string): Promise<boolean> {
  const crash = await execa(process.execPath, ['src/server.js', '--crash'], { cwd: dir, reject: false, timeout: 30_000 });
  expect(crash.stderr).toContain(type);
  // The SDK delivers a crash before the process exits: once it has exited, the event is in or never comes.
  const deadline = Date.now() + 2_000;
  while (Date.now() < deadline && !ingest().accepted.some((a) => a.event.type === type)) await new Promise((r) => setTimeout(r, 100));
  return ingest().accepted.some((a) => a.event.type === type);
}

describe('node-wired-off-start: --entry src/app.js, a file only the tests import', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await copyFixture('node-wired-off-start');
    const run = await runCli(['install', '--yes', '--cwd', dir, '--entry', 'src/app.js', '--ingest-url', ingest().url], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
  }, 240_000);

  it('doctor fails entry-runs and exits 1, naming the start file, the unreached entry and the fix', async () => {
    const { exitCode, checks } = await doctorChecks(dir);
    expect(exitCode).toBe(1);
    // The recorded entry is checked, and everything but the start path is green: that is the false green.
    expect(checks.get('project')?.message).toContain('entry src/app.js');
    expect(checks.get('load-order')?.status).toBe('pass');
    const check = checks.get('entry-runs');
    expect(check?.status).toBe('fail');
    expect(check?.message).toBe('scripts.start: node src/server.js: none of these loads src/app.js, so its init never runs');
    expect(check?.fix).toContain('npx ez-pixel uninstall && npx ez-pixel install --entry src/server.js');
  });

  it('and that is true: the started app crashes and nothing is reported', async () => {
    expect(await crashReported(dir, 'RangeError')).toBe(false);
  });

  it('following the fix, the start path holds the init: doctor passes entry-runs and the crash is reported', async () => {
    const uninstall = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir });
    expect(uninstall.exitCode, uninstall.stderr).toBe(0);
    const install = await runCli(['install', '--yes', '--cwd', dir, '--entry', 'src/server.js', '--ingest-url', ingest().url], { cwd: dir });
    expect(install.exitCode, install.stderr).toBe(0);
    const { exitCode, checks } = await doctorChecks(dir);
    expect(checks.get('entry-runs')).toMatchObject({ status: 'pass', message: 'src/server.js is on the start path: scripts.start: node src/server.js' });
    expect(exitCode).toBe(0);
    expect(await crashReported(dir, 'RangeError')).toBe(true);
  }, 240_000);
});

describe('the start path through compiled output and imports', () => {
  const typescriptService = (server: string) => ({
    'package.json': JSON.stringify({ name: 'ts-service', private: true, scripts: { build: 'tsc', start: 'node dist/server.js', test: 'vitest' }, devDependencies: { typescript: '5.9.3' } }, null, 2),
    'tsconfig.json': JSON.stringify({ compilerOptions: { outDir: 'dist', rootDir: 'src', module: 'commonjs' } }),
    'src/server.ts': server,
    'src/app.ts': "export const app = { name: 'orders' };\n",
    'src/app.test.ts': "import { app } from './app';\nconsole.log(app.name);\n",
  });

  it('fails when dist/server.js, whose source is src/server.ts, never loads the wired src/app.ts', async () => {
    const dir = await makeProject('ts-off-start', typescriptService("import { createServer } from 'node:http';\ncreateServer().listen(0);\n"));
    const install = await runCli(['install', '--yes', '--skip-install', '--cwd', dir, '--entry', 'src/app.ts'], { cwd: dir });
    expect(install.exitCode, install.stderr).toBe(0);
    const { exitCode, checks } = await doctorChecks(dir);
    expect(exitCode).toBe(1);
    expect(checks.get('entry-runs')).toMatchObject({
      status: 'fail',
      message: 'scripts.start: node dist/server.js: none of these loads src/app.ts, so its init never runs',
      fix: expect.stringContaining('make src/server.ts load src/app.ts, or wire the file that starts: npx ez-pixel uninstall && npx ez-pixel install --entry src/server.ts'),
    });
  });

  it('passes, naming the chain, when the start file loads the entry through another module', async () => {
    const dir = await makeProject('ts-on-start', {
      ...typescriptService("import { listen } from './http/listen';\nlisten();\n"),
      'src/http/listen.ts': "import { app } from '../app';\nexport function listen() { console.log(app.name); }\n",
    });
    const install = await runCli(['install', '--yes', '--skip-install', '--cwd', dir, '--entry', 'src/app.ts'], { cwd: dir });
    expect(install.exitCode, install.stderr).toBe(0);
    const { checks } = await doctorChecks(dir);
    expect(checks.get('entry-runs')).toMatchObject({
      status: 'pass',
      message: 'src/app.ts is on the start path: scripts.start: node dist/server.js (src/server.ts loads src/http/listen.ts loads src/app.ts)',
    });
  });

  it('only warns when the start file loads the app through an alias it cannot follow', async () => {
    const dir = await makeProject('ts-alias-start', typescriptService("import { app } from '@/app';\nconsole.log(app);\n"));
    await runCli(['install', '--yes', '--skip-install', '--cwd', dir, '--entry', 'src/app.ts'], { cwd: dir });
    const check = (await doctorChecks(dir)).checks.get('entry-runs');
    expect(check?.status).toBe('warn');
    expect(check?.message).toContain('src/server.ts loads @/app through an alias no tsconfig/jsconfig paths resolve');
  });

  it('follows an alias that tsconfig paths resolve', async () => {
    const dir = await makeProject('ts-paths-start', {
      ...typescriptService("import { app } from '@/app';\nconsole.log(app);\n"),
      'tsconfig.json': JSON.stringify({ compilerOptions: { outDir: 'dist', rootDir: 'src', module: 'commonjs', paths: { '@/*': ['./src/*'] } } }),
    });
    await runCli(['install', '--yes', '--skip-install', '--cwd', dir, '--entry', 'src/app.ts'], { cwd: dir });
    expect((await doctorChecks(dir)).checks.get('entry-runs')).toMatchObject({ status: 'pass', message: 'src/app.ts is on the start path: scripts.start: node dist/server.js (src/server.ts loads src/app.ts)' });
  });

  it('a worker started by its own script is on the start path; a seed script in scripts/ is not', async () => {
    const dir = await makeProject('worker-and-seed', {
      'package.json': JSON.stringify({ name: 'queue', private: true, scripts: { start: 'node server.js', worker: 'node worker.js', seed: 'node scripts/seed.js' } }),
      'server.js': "require('node:http').createServer().listen(0);\n",
      'worker.js': "require('./jobs');\n",
      'jobs.js': 'module.exports = {};\n',
      'db.js': 'module.exports = {};\n',
      'scripts/seed.js': "require('../db');\n",
    });
    await runCli(['install', '--yes', '--skip-install', '--cwd', dir, '--entry', 'jobs.js'], { cwd: dir });
    expect((await doctorChecks(dir)).checks.get('entry-runs')).toMatchObject({ status: 'pass', message: 'jobs.js is on the start path: scripts.worker: node worker.js (worker.js loads jobs.js)' });
    const other = await makeProject('seed-only', {
      'package.json': JSON.stringify({ name: 'queue', private: true, scripts: { start: 'node server.js', seed: 'node scripts/seed.js' } }),
      'server.js': "require('node:http').createServer().listen(0);\n",
      'db.js': 'module.exports = {};\n',
      'scripts/seed.js': "require('../db');\n",
    });
    await runCli(['install', '--yes', '--skip-install', '--cwd', other, '--entry', 'db.js'], { cwd: other });
    expect((await doctorChecks(other)).checks.get('entry-runs')?.status).toBe('fail');
  });
});

describe('load-order reads the entry recorded in .ez-pixel/install.json', () => {
  it('fails on the recorded --entry when its init line is moved below other code, though the start file is untouched', async () => {
    const dir = await copyFixture('node-two-processes');
    const install = await runCli(['install', '--yes', '--skip-install', '--cwd', dir, '--entry', 'src/worker.js'], { cwd: dir });
    expect(install.exitCode, install.stderr).toBe(0);
    const green = await doctorChecks(dir);
    expect(green.checks.get('load-order')?.status).toBe('pass');
    expect(green.checks.get('entry-runs')).toMatchObject({ status: 'pass', message: 'src/worker.js is on the start path: scripts.worker: node src/worker.js' });
    const worker = join(dir, 'src/worker.js');
    const lines = readFileSync(worker, 'utf8').split('\n');
    const init = lines.findIndex((line) => line.includes('// ez-pixel'));
    const [initLine] = lines.splice(init, 1);
    lines.splice(lines.findIndex((line) => line.includes("require('./jobs')")) + 1, 0, initLine!);
    writeFileSync(worker, lines.join('\n'));
    const { exitCode, checks } = await doctorChecks(dir);
    expect(exitCode).toBe(1);
    expect(checks.get('project')?.message).toContain('entry src/worker.js');
    expect(checks.get('load-order')).toMatchObject({ status: 'fail', message: expect.stringContaining('src/worker.js runs') });
    expect(checks.get('load-order')?.fix).toContain('to the top of src/worker.js');
  });
});
