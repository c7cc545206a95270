// Browser apps in detection: a Vite app is a candidate of its own (runtime browser), beside a back
// end in a repository or among a workspace's packages; a browser app no framework of ours wires
// (Create React App, a Vite library without a page) is left out and said so; the JS package
// managers serve Node and the browser alike. Through detect() and the real CLI.
import { afterAll, describe, expect, it } from 'vitest';
import { detect } from '../src/detectors/index.js';
import { copyFixture, makeProject, removeFixtureCopies } from './helpers/fixtures.js';
import { runCli, treeDifferences, treeFingerprint } from './install-helpers.js';

afterAll(removeFixtureCopies);

const pkg = (fields: Record<string, unknown>) => JSON.stringify({ version: '1.0.0', private: true, ...fields });
const vitePage = '<!doctype html>\n<div id="app"></div>\n<script type="module" src="/src/main.ts"></script>\n';

describe('polyglot-vite-uv: a Vite front end beside a uv back end', () => {
  it('offers both, the front end as a browser project, and --runtime picks one', async () => {
    const dir = await copyFixture('polyglot-vite-uv');
    const detection = await detect(dir);
    expect(detection).toMatchObject({ kind: 'choose', about: 'project', flag: '--cwd or --runtime' });
    if (detection.kind !== 'choose') return;
    expect(detection.choices.map((choice) => [choice.label, choice.hint])).toEqual([
      ['api (api/pyproject.toml)', expect.stringMatching(/^python · /)],
      ['web (web/package.json)', 'browser · vite · src/main.jsx'],
    ]);
    expect(await detect(dir, { runtime: 'python' })).toMatchObject({ kind: 'project', project: { runtime: 'python', root: `${dir}/api` } });
    const web = await detect(dir, { runtime: 'browser' });
    expect(web).toMatchObject({ kind: 'project', project: { runtime: 'browser', framework: 'vite', root: `${dir}/web`, entry: 'src/main.jsx', moduleSystem: 'esm', typescript: false } });
    if (web.kind !== 'project') return;
    expect(web.project.evidence.map((e) => e.says)).toEqual(
      expect.arrayContaining(['web/package.json is the only project one level down', 'package.json depends on vite and index.html is its page', 'index.html loads src/main.jsx (<script type="module" src="/src/main.jsx">)']),
    );
  });

  it('install --yes without a choice stops with exit 2 naming both, and changes nothing', async () => {
    const dir = await copyFixture('polyglot-vite-uv');
    const before = treeFingerprint(dir);
    const run = await runCli(['install', '--yes', '--skip-install'], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(2);
    expect(run.stderr).toContain('Pass --cwd or --runtime to choose');
    expect(run.stderr).toContain('web (web/package.json)  (browser · vite · src/main.jsx)');
    const dryRun = await runCli(['install', '--yes', '--skip-install', '--dry-run', '--cwd', 'web'], { cwd: dir });
    expect(dryRun.exitCode, dryRun.stderr).toBe(0);
    expect(dryRun.stderr).toContain('Found browser / vite, npm, entry src/main.jsx');
    expect(treeDifferences(before, treeFingerprint(dir))).toEqual([]);
  });
});

describe('browser apps elsewhere', () => {
  it('a pnpm workspace with a Vite member and an Express member offers both packages', async () => {
    const dir = await makeProject('workspace', {
      'package.json': pkg({ name: 'root' }),
      'pnpm-workspace.yaml': 'packages:\n  - "apps/*"\n',
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
      'apps/site/package.json': pkg({ name: 'site', devDependencies: { vite: '^7' }, scripts: { dev: 'vite' } }),
      'apps/site/index.html': vitePage,
      'apps/site/src/main.ts': "document.title = 'site';\n",
      'apps/api/package.json': pkg({ name: 'api', dependencies: { express: '^4' }, scripts: { start: 'node server.js' } }),
      'apps/api/server.js': "require('express')().listen(3000);\n",
    });
    const detection = await detect(dir);
    expect(detection).toMatchObject({ kind: 'choose', question: 'Which workspace package should ez-pixel wire?' });
    if (detection.kind !== 'choose') return;
    expect(detection.choices.map((choice) => choice.hint)).toEqual(['node · express · server.js', 'browser · vite · src/main.ts']);
    const site = await detect(`${dir}/apps/site`);
    expect(site).toMatchObject({ kind: 'project', project: { runtime: 'browser', packageManager: 'pnpm', workspaceRoot: dir, entry: 'src/main.ts', typescript: true } });
  });

  it('a browser app ez-pixel does not wire is left out, saying why; install stops with exit 3 and changes nothing', async () => {
    const cra = await makeProject('cra', {
      'package.json': pkg({ name: 'cra', dependencies: { react: '^18', 'react-scripts': '5.0.1' }, scripts: { start: 'react-scripts start' } }),
      'public/index.html': '<!doctype html><div id="root"></div>\n',
      'src/index.js': '',
    });
    const why = '. is a browser app (package.json depends on react-scripts and on no server framework, and it is not one ez-pixel wires yet (a Vite app)), so it is left out';
    expect(await detect(cra)).toMatchObject({ kind: 'nothing', browserApps: [why] });
    const before = treeFingerprint(cra);
    const run = await runCli(['install', '--yes', '--skip-install'], { cwd: cra });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain(why);
    expect(treeDifferences(before, treeFingerprint(cra))).toEqual([]);
    const doctor = await runCli(['doctor', '--json', '--no-send'], { cwd: cra });
    expect(doctor.exitCode).toBe(1);
    expect(JSON.parse(doctor.stdout).checks).toEqual([expect.objectContaining({ id: 'project', status: 'fail', message: expect.stringContaining(why) })]);

    // A Vite library (no page to build) is no app either.
    const library = await makeProject('vite-lib', { 'package.json': pkg({ name: 'lib', devDependencies: { vite: '^7' }, scripts: { build: 'vite build' } }), 'src/index.ts': 'export const x = 1;\n' });
    expect(await detect(library)).toMatchObject({ kind: 'nothing', browserApps: [expect.stringContaining('package.json depends on vite and on no server framework')] });
  });

  it('a plain index.html page is a browser app left out; Vite with its own server (express) is a Node project', async () => {
    const page = await makeProject('page', { 'package.json': pkg({ name: 'page', scripts: { dev: 'serve .' } }), 'index.html': '<!doctype html>\n', 'index.js': '' });
    expect(await detect(page)).toMatchObject({ kind: 'nothing', browserApps: [expect.stringContaining('an index.html page with no server of its own')] });
    const fullStack = await makeProject('full-stack', {
      'package.json': pkg({ name: 'fs', dependencies: { express: '^4' }, devDependencies: { vite: '^5' }, scripts: { start: 'node server.js' } }),
      'server.js': '',
      'index.html': vitePage,
    });
    expect(await detect(fullStack)).toMatchObject({ kind: 'project', project: { runtime: 'node', framework: 'express', entry: 'server.js' } });
  });

  it("a Vue app is wired like any Vite app, and its createApp(App) goes through reportVueErrors (Vue only logs what components throw); an app made elsewhere gets a note", async () => {
    const files = {
      'package.json': pkg({ name: 'vue-app', dependencies: { vue: '^3.5.0' }, devDependencies: { vite: '^7', '@vitejs/plugin-vue': '^6' } }),
      'index.html': vitePage.replace('main.ts', 'main.js'),
      'src/main.js': "import { createApp } from 'vue'\nimport App from './App.vue'\n\ncreateApp(App).mount('#app')\n",
    };
    const dir = await makeProject('vue-app', files);
    const run = await runCli(['install', '--yes', '--skip-install', '--dry-run'], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('Found browser / vite, npm, entry src/main.js');
    expect(run.stdout + run.stderr).toContain("+reportVueErrors(createApp(App)).mount('#app')");
    expect(run.stderr).not.toContain('Vue catches');
    const elsewhere = await makeProject('vue-app-elsewhere', { ...files, 'src/main.js': "import { app } from './app.js'\napp.mount('#app')\n" });
    const noted = await runCli(['install', '--yes', '--skip-install', '--dry-run'], { cwd: elsewhere });
    expect(noted.exitCode, noted.stderr).toBe(0);
    expect(noted.stderr).toContain("src/main.js: it calls no createApp(…) imported from 'vue' (nor vite-ssg's ViteSSG(…)): the app is made elsewhere, so pass the app to reportVueErrors yourself:");
  });

  it('--pm npm finds a Vite app (the JS managers serve both platforms); --pm uv does not fit --runtime browser', async () => {
    const dir = await makeProject('vite-app', { 'package.json': pkg({ name: 'app', devDependencies: { vite: '^7' } }), 'index.html': vitePage, 'src/main.ts': '' });
    expect(await detect(dir, { pm: 'npm' })).toMatchObject({ kind: 'project', project: { runtime: 'browser', packageManager: 'npm' } });
    expect(await detect(dir, { pm: 'uv' })).toMatchObject({ kind: 'nothing' });
    const run = await runCli(['install', '--yes', '--skip-install', '--runtime', 'browser', '--pm', 'uv'], { cwd: dir });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('--pm uv is a python package manager; it cannot install into a browser project');
  });
});
