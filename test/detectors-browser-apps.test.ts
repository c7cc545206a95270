// A browser app (Vite, CRA, Vue, a plain index.html) is never wired with the Node SDK: detection
// leaves it out and says so; the Python back end beside it, or the server package of a workspace,
// is the candidate that remains. Through detect() and the real CLI.
import { afterAll, describe, expect, it } from 'vitest';
import { detect } from '../src/detectors/index.js';
import { copyFixture, makeProject, removeFixtureCopies } from './helpers/fixtures.js';
import { runCli, treeDifferences, treeFingerprint } from './install-helpers.js';

afterAll(removeFixtureCopies);

describe('polyglot-vite-uv: a Vite front end beside a uv back end', () => {
  it('offers the Python back end and says the front end is a browser app', async () => {
    const dir = await copyFixture('polyglot-vite-uv');
    const detection = await detect(dir);
    expect(detection.kind).toBe('project');
    if (detection.kind !== 'project') return;
    expect(detection.project).toMatchObject({ runtime: 'python', root: `${dir}/api` });
    expect(detection.project.evidence.map((e) => e.says)).toContain(
      'web is a browser app (package.json depends on vite and on no server framework): the Node SDK does not run in the browser, so it is left out',
    );
    const dryRun = await runCli(['install', '--yes', '--skip-install', '--dry-run'], { cwd: dir });
    expect(dryRun.exitCode, dryRun.stderr).toBe(0);
    expect(dryRun.stderr).toContain('web is a browser app');
  });

  it('install --cwd web stops with exit 3, naming it a browser app, and changes nothing', async () => {
    const dir = await copyFixture('polyglot-vite-uv');
    const before = treeFingerprint(dir);
    const run = await runCli(['install', '--yes', '--cwd', 'web'], { cwd: dir });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain('. is a browser app (package.json depends on vite and on no server framework)');
    expect(run.stderr).toContain('browser support is not there yet');
    expect(treeDifferences(before, treeFingerprint(dir))).toEqual([]);
    const doctor = await runCli(['doctor', '--cwd', 'web', '--json', '--no-send'], { cwd: dir });
    expect(JSON.parse(doctor.stdout).checks[0].message).toContain('is a browser app');
  });
});

describe('browser apps elsewhere', () => {
  const pkg = (fields: Record<string, unknown>) => JSON.stringify({ version: '1.0.0', private: true, ...fields });

  it('a pnpm workspace with a Vite member and an Express member wires the Express one', async () => {
    const dir = await makeProject('workspace', {
      'package.json': pkg({ name: 'root' }),
      'pnpm-workspace.yaml': 'packages:\n  - "apps/*"\n',
      'apps/site/package.json': pkg({ name: 'site', devDependencies: { vite: '^5' }, scripts: { dev: 'vite' } }),
      'apps/site/index.html': '<!doctype html>\n',
      'apps/api/package.json': pkg({ name: 'api', dependencies: { express: '^4' }, scripts: { start: 'node server.js' } }),
      'apps/api/server.js': "require('express')().listen(3000);\n",
    });
    const detection = await detect(dir);
    expect(detection.kind === 'project' && detection.project.root).toBe(`${dir}/apps/api`);
  });

  it('a plain index.html page is a browser app; Vite with its own server (express) is not', async () => {
    const page = await makeProject('page', { 'package.json': pkg({ name: 'page', scripts: { dev: 'serve .' } }), 'index.html': '<!doctype html>\n', 'index.js': '' });
    expect(await detect(page)).toMatchObject({ kind: 'nothing', browserApps: [expect.stringContaining('an index.html page with no server of its own')] });
    const fullStack = await makeProject('full-stack', {
      'package.json': pkg({ name: 'fs', dependencies: { express: '^4' }, devDependencies: { vite: '^5' }, scripts: { start: 'node server.js' } }),
      'server.js': '',
    });
    expect(await detect(fullStack)).toMatchObject({ kind: 'project', project: { framework: 'express', entry: 'server.js' } });
  });
});
