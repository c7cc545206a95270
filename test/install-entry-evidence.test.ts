// The entry is the file the app starts from: the start script's file (followed through npm run,
// tsc &&, pm2, node -r esbuild-register, cross-env) wins over a generator bin and over main;
// template and setup folders are never candidates; --cwd means that directory; and a file nothing
// runs is never wired silently (exit 3 under --yes). End to end through the project's own npm start.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { detect } from '../src/detectors/index.js';
import type { Project } from '../src/project.js';
import { copyFixture, makeProject } from './helpers/fixtures.js';
import { quietEnv, runCli, treeDifferences, treeFingerprint, useSuiteIngest } from './install-helpers.js';

const ingest = useSuiteIngest();

async function detected(files: Record<string, string>): Promise<Project> {
  const detection = await detect(await makeProject('entry-case', files));
  if (detection.kind !== 'project') throw new Error(`expected a project, got ${JSON.stringify(detection)}`);
  return detection.project;
}

const pkg = (fields: Record<string, unknown>) => JSON.stringify({ name: 'case', version: '1.0.0', private: true, ...fields }, null, 2);

describe('node-generator-bin: npm start → npm run serve → node src/server.js', () => {
  let dir: string;
  let original: Map<string, string>;

  beforeAll(async () => {
    dir = await copyFixture('node-generator-bin');
    original = treeFingerprint(dir);
  });

  it('wires the file the start script runs, not the generator bin, main, remix.init or templates', async () => {
    const run = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest().url], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('package.json scripts.start → scripts.serve: node --enable-source-maps src/server.js runs src/server.js');
    expect(readFileSync(join(dir, 'src/server.js'), 'utf8')).toMatch(/^'use strict';\nrequire\('\.\/ez-pixel\.init\.cjs'\); \/\/ ez-pixel\n/);
    for (const other of ['bin/create-theme.js', 'lib/index.js', 'remix.init/index.js', 'templates/theme/index.js']) {
      expect(readFileSync(join(dir, other), 'utf8'), other).not.toContain('ez-pixel');
    }
  });

  it('npm start runs it, and a request that kills the server is reported', async () => {
    const app = execa('npm', ['start'], { cwd: dir, env: { ...quietEnv, PORT: '0' }, reject: false, timeout: 60_000 });
    const port = await new Promise<string>((resolve, reject) => {
      app.stdout!.on('data', (chunk: Buffer) => {
        const match = /listening on (\d+)/.exec(String(chunk));
        if (match) resolve(match[1]!);
      });
      void app.then(() => reject(new Error('the server exited before listening')));
    });
    await fetch(`http://127.0.0.1:${port}/boom?sku=x`).catch(() => null);
    const result = await app;
    expect(result.exitCode).not.toBe(0);
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && !ingest().accepted.some((a) => a.event.type === 'TypeError')) await new Promise((r) => setTimeout(r, 100));
    const event = ingest().accepted.find((a) => a.event.type === 'TypeError')?.event;
    expect(event?.stack.filter((frame) => frame.in_app).map((frame) => frame.file)).toEqual(expect.arrayContaining(['src/catalog.js', 'src/server.js']));
  });

  it('doctor is green on it, and uninstall gives back the tree byte for byte', async () => {
    const doctor = await runCli(['doctor', '--cwd', dir, '--json', '--no-send'], { cwd: dir });
    const checks = JSON.parse(doctor.stdout).checks as Array<{ id: string; status: string }>;
    expect(checks.find((c) => c.id === 'entry-runs')?.status).toBe('pass');
    const run = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(treeDifferences(original, treeFingerprint(dir))).toEqual([]);
  });
});

describe('node-cli-built-output: start and bin run build/main.js, which git ignores (the layout of vercel/serve)', () => {
  const npm = (dir: string, args: string[]) => execa('npm', args, { cwd: dir, env: quietEnv, reject: false, all: true });

  it('wires the TypeScript source even once a build exists, and the rebuilt CLI reports its crash', async () => {
    const dir = await copyFixture('node-cli-built-output');
    expect((await npm(dir, ['install'])).exitCode).toBe(0); // the project's own setup
    expect((await npm(dir, ['run', 'compile'])).exitCode).toBe(0);
    const built = readFileSync(join(dir, 'build/main.js'), 'utf8');

    const run = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest().url], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('entry source/main.ts');
    expect(run.stderr).not.toContain('build/main.js runs');
    expect(readFileSync(join(dir, 'source/main.ts'), 'utf8')).toContain("import './ez-pixel.init.js'; // ez-pixel");
    expect(readFileSync(join(dir, 'build/main.js'), 'utf8')).toBe(built); // the build output is the build's

    const compiled = await npm(dir, ['run', 'compile']);
    expect(compiled.exitCode, String(compiled.all)).toBe(0);
    const seen = ingest().accepted.length;
    const crashed = await npm(dir, ['start', '--', '--crash']);
    expect(crashed.exitCode).not.toBe(0);
    expect(String(crashed.all)).toContain('tally cannot read the amount "twelve"');
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && ingest().accepted.length === seen) await new Promise((r) => setTimeout(r, 100));
    expect(ingest().accepted.slice(seen).map((accepted) => [accepted.event.type, accepted.event.message])).toEqual([['RangeError', 'tally cannot read the amount "twelve"']]);

    expect((await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir })).exitCode).toBe(0);
    expect(await execa('git', ['status', '--porcelain', '--', '.', ':!package-lock.json'], { cwd: dir }).then((status) => status.stdout)).toBe(''); // the lockfile is npm install's
  }, 180_000);
});

describe('node-express-ts-start-variants: no plain start, start:dev runs node --import=tsx src/index.ts', () => {
  let dir: string;
  let original: Map<string, string>;

  beforeAll(async () => {
    dir = await copyFixture('node-express-ts-start-variants');
    original = treeFingerprint(dir);
  });

  it('wires the file start:dev runs (start:prod runs its tsc output) and hooks the app where src/server.ts creates it', async () => {
    const run = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest().url], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('package.json scripts.start:dev: node --import=tsx src/index.ts runs src/index.ts');
    expect(readFileSync(join(dir, 'src/index.ts'), 'utf8').split('\n')[1]).toBe("import './ez-pixel.init'; // ez-pixel");
    expect(readFileSync(join(dir, 'src/server.ts'), 'utf8')).toContain('app.use(expressErrorHandler()); // ez-pixel');
  }, 240_000);

  it('npm run start:dev serves it, and a failed request is one event with the route frame and {method, path}', async () => {
    // Its own process group: npm's `sh -c` does not pass SIGTERM on to node, so the group is stopped.
    const app = execa('npm', ['run', 'start:dev'], { cwd: dir, env: { ...quietEnv, PORT: '0' }, reject: false, timeout: 60_000, detached: true });
    try {
      const port = await new Promise<string>((resolve, reject) => {
        app.stdout!.on('data', (chunk: Buffer) => {
          const match = /listening on (\d+)/.exec(String(chunk));
          if (match) resolve(match[1]!);
        });
        void app.then((result) => reject(new Error(`the server exited before listening: ${result.stderr}`)));
      });
      const before = ingest().accepted.length;
      expect((await fetch(`http://127.0.0.1:${port}/boom?invoice=42`)).status).toBe(500);
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline && ingest().accepted.length === before) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 300));
      const events = ingest().accepted.slice(before).map((a) => a.event);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ type: 'RangeError', message: 'invoice total out of range', context: { request: { method: 'GET', path: '/boom' } } });
      expect(events[0]!.stack.find((frame) => frame.in_app)?.file).toBe('src/routes/invoices.ts');
    } finally {
      process.kill(-app.pid!, 'SIGTERM');
      await app;
    }
  }, 90_000);

  it('doctor says the entry is what the project starts, and uninstall gives back the tree byte for byte', async () => {
    const doctor = await runCli(['doctor', '--cwd', dir, '--json', '--no-send'], { cwd: dir });
    const checks = JSON.parse(doctor.stdout).checks as Array<{ id: string; status: string }>;
    expect(checks.find((c) => c.id === 'entry-runs')?.status).toBe('pass');
    const run = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(treeDifferences(original, treeFingerprint(dir))).toEqual([]);
  }, 120_000);
});

describe('the file the start script really runs', () => {
  it('follows tsc && node dist/… to the TypeScript source', async () => {
    const project = await detected({ 'package.json': pkg({ main: 'lib/index.js', scripts: { start: 'tsc -p . && node dist/server.js' }, devDependencies: { typescript: '^5' } }), 'src/server.ts': '', 'lib/index.js': '' });
    expect(project.entry).toBe('src/server.ts');
  });

  it('reads node -r esbuild-register, cross-env, ts-node-dev and pm2, and skips a pm2 ecosystem file', async () => {
    const cases: Array<[string, string]> = [
      ['node -r esbuild-register src/main.ts', 'src/main.ts'],
      ['cross-env NODE_ENV=production node --import ./otel.mjs server/app.js', 'server/app.js'],
      ['ts-node-dev --respawn --transpile-only src/main.ts', 'src/main.ts'],
      ['pm2-runtime start app/index.js -i max', 'app/index.js'],
    ];
    for (const [start, entry] of cases) {
      const project = await detected({ 'package.json': pkg({ scripts: { start } }), [entry]: '', 'otel.mjs': '' });
      expect(project.entry, start).toBe(entry);
    }
    const ecosystem = await detected({ 'package.json': pkg({ main: 'worker.js', scripts: { start: 'pm2-runtime start ecosystem.config.js' } }), 'ecosystem.config.js': '', 'worker.js': '' });
    expect(ecosystem.entry).toBe('worker.js');
  });

  it('reads a develop script, and a build named compile, as the app start (a published CLI like vercel/serve)', async () => {
    const develop = await detected({ 'package.json': pkg({ scripts: { develop: 'tsx watch ./source/main.ts' } }), 'source/main.ts': '' });
    expect(develop.entry).toBe('source/main.ts');
    const compiled = await detected({ 'package.json': pkg({ scripts: { compile: 'tsup ./source/main.ts' } }), 'source/main.ts': '' });
    expect(compiled.entry).toBe('source/main.ts');
  });

  it('puts a generator or setup bin after main, and never takes a file under scripts/ or templates/', async () => {
    const generator = await detected({ 'package.json': pkg({ main: 'app.js', bin: { 'create-widget': 'bin/create.js' } }), 'app.js': '', 'bin/create.js': '' });
    expect(generator.entry).toBe('app.js');
    const setup = await detected({ 'package.json': pkg({ bin: { tool: 'scripts/setup.js' }, scripts: { dev: 'node scripts/dev.js' } }), 'scripts/setup.js': '', 'scripts/dev.js': '', 'server.js': '' });
    expect(setup.entry).toBe('server.js');
    // A CLI's own bin is its app, over main (its library).
    const cli = await copyFixture('node-cli-bin');
    const detection = await detect(cli);
    expect(detection.kind === 'project' && detection.project.entry).toBe('bin/cli.js');
  });
});

describe('never a file nothing runs', () => {
  it('under --yes, a conventional file no script names stops with exit 3 and names --entry; nothing changes', async () => {
    const dir = await makeProject('unrun', { 'package.json': pkg({ scripts: { test: 'node --test' } }), 'src/index.js': "console.log('hi');\n" });
    const before = treeFingerprint(dir);
    const run = await runCli(['install', '--yes', '--cwd', dir], { cwd: dir });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain('nothing in package.json runs src/index.js');
    expect(run.stderr).toContain('--entry');
    expect(treeDifferences(before, treeFingerprint(dir))).toEqual([]);
    const named = await runCli(['install', '--yes', '--skip-install', '--cwd', dir, '--entry', 'src/index.js'], { cwd: dir });
    expect(named.exitCode, named.stderr).toBe(0);
  });
});

describe('--cwd means that directory', () => {
  it('an explicit --cwd at a root with its own package.json does not wire the app one level down; without --cwd it is found', async () => {
    const files = {
      'package.json': pkg({ scripts: { lint: 'eslint .' } }),
      'web/package.json': pkg({ scripts: { start: 'node server.js' } }),
      'web/server.js': "console.log('web');\n",
    };
    const dir = await makeProject('tooling-root', files);
    const explicit = await runCli(['install', '--yes', '--skip-install', '--cwd', '.'], { cwd: dir });
    expect(explicit.exitCode).toBe(3);
    expect(explicit.stderr).toContain(`no entry file was found in ${dir}`);
    const implicit = await runCli(['install', '--yes', '--skip-install', '--dry-run'], { cwd: dir });
    expect(implicit.exitCode, implicit.stderr).toBe(0);
    expect(implicit.stderr).toContain('web/package.json is the only project one level down');
  });
});

describe('next steps', () => {
  it("name the project's own package manager's start", async () => {
    const dir = await makeProject('pnpm-app', { 'package.json': pkg({ scripts: { start: 'node server.js' } }), 'pnpm-lock.yaml': "lockfileVersion: '9.0'\n", 'server.js': "console.log('up');\n" });
    const run = await runCli(['install', '--yes', '--skip-install', '--cwd', dir], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('2. pnpm start (or however you start the app)');
  });
});
