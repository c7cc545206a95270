// The project's own style and tools keep passing (prettier + eslint, or biome, + a pre-commit hook that runs
// both): after install, lint, format --check and the hook pass as they did before, and the added
// lines are in the project's style (double quotes here). Then the user changes their style,
// runs `prettier --write .` and `eslint --fix .` and commits: uninstall still finds every line and
// file it added (by marker and by code, not by bytes), and takes out exactly those.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { copyFixture } from './helpers/fixtures.js';
import { type TestIngest } from './helpers/ingest.js';
import { npmStart, until } from './helpers/run-app.js';
import { git, quietEnv, runCli, useSuiteIngest } from './install-helpers.js';

const ingest = useSuiteIngest();

const gitIdentity = ['-c', 'user.name=ez-pixel tests', '-c', 'user.email=tests@ez-pixel.invalid', '-c', 'commit.gpgsign=false'];
const npm = (dir: string, args: string[]) => execa('npm', args, { cwd: dir, env: quietEnv, reject: false, all: true });
const commit = (dir: string, message: string) => execa('git', [...gitIdentity, 'commit', '--quiet', '--all', '--message', message], { cwd: dir, reject: false, all: true });

/** Starts the app with `npm start`, requests its /boom route (a 500), and gives back the answer's text, the event the ingest got and the app's output. */
async function failedRequest(dir: string): Promise<{ text: string; event: TestIngest['accepted'][number]['event']; output: string }> {
  const seen = ingest().accepted.length;
  const server = npmStart(dir);
  try {
    const port = await until(() => /listening on (\d+)/.exec(server.output())?.[1], 60_000, () => server.output());
    const failed = await fetch(`http://127.0.0.1:${port}/boom`);
    expect(failed.status).toBe(500);
    const text = await failed.text();
    const event = await until(() => ingest().accepted.slice(seen)[0]?.event, 30_000, () => server.output());
    return { text, event, output: server.output() };
  } finally {
    await server.stop();
  }
}

describe('prettier + eslint + pre-commit', () => {
  it('pass after install; after the user reformats and commits, uninstall removes every line and file it added', async () => {
    const dir = await copyFixture('node-express-prettier');
    expect((await npm(dir, ['install'])).exitCode).toBe(0); // the project's own setup
    await git(dir, ['add', '--all']);
    await commit(dir, 'lockfile');
    const hook = join(dir, '.git', 'hooks', 'pre-commit');
    writeFileSync(hook, '#!/bin/sh\nnpm run -s lint && npm run -s format:check\n');
    chmodSync(hook, 0o755);

    const install = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest().url], { cwd: dir });
    expect(install.exitCode, install.stderr).toBe(0);
    for (const script of ['lint', 'format:check']) {
      const run = await npm(dir, ['run', '-s', script]);
      expect(run.exitCode, `${script}:\n${run.all}`).toBe(0);
    }
    expect(readFileSync(join(dir, 'src/index.js'), 'utf8').split('\n')[0]).toBe('require("./ez-pixel.init.cjs"); // ez-pixel');
    expect(readFileSync(join(dir, 'src/app.js'), 'utf8')).toContain('app.use(expressErrorHandler()); // ez-pixel\nmodule.exports = app;');
    await git(dir, ['add', '--all']);
    const committed = await commit(dir, 'ez-pixel'); // through the pre-commit hook
    expect(committed.exitCode, String(committed.all)).toBe(0);
    // A re-run on the formatted files has nothing to do.
    const again = await runCli(['install', '--yes', '--cwd', dir], { cwd: dir });
    expect(again.stderr).toMatch(/Already set up/);
    expect(await git(dir, ['status', '--porcelain'])).toBe('');

    // Still reports, through the formatted lines.
    const { event } = await failedRequest(dir);
    expect(event.message).toBe('invoice rendering failed');

    // The user changes style and reformats everything, ours included, then commits.
    writeFileSync(join(dir, '.prettierrc'), '{ "singleQuote": true, "semi": false, "printWidth": 100 }\n');
    writeFileSync(join(dir, 'eslint.config.mjs'), readFileSync(join(dir, 'eslint.config.mjs'), 'utf8').replace('quotes: ["error", "double"]', 'quotes: ["error", "single"]'));
    expect((await execa('npx', ['prettier', '--write', '.'], { cwd: dir, env: quietEnv, reject: false })).exitCode).toBe(0);
    expect((await execa('npx', ['eslint', '--fix', '.'], { cwd: dir, env: quietEnv, reject: false, all: true })).exitCode).toBe(0);
    expect(readFileSync(join(dir, 'src/ez-pixel.init.cjs'), 'utf8')).toContain("require('@ez-pixel/node')\n");
    await git(dir, ['add', '--all']);
    expect((await commit(dir, 'reformat')).exitCode).toBe(0);

    const uninstall = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir });
    expect(uninstall.exitCode, uninstall.stderr).toBe(0);
    expect(uninstall.stderr).not.toMatch(/left alone/);
    expect(existsSync(join(dir, 'src/ez-pixel.init.cjs'))).toBe(false);
    expect(existsSync(join(dir, '.ez-pixel'))).toBe(false);
    expect((await execa('git', ['grep', '-l', 'ez-pixel'], { cwd: dir, reject: false })).stdout).toBe('');
    // Against the reformatted commit, only our lines went (the manifests aside): every change is a removed marked line.
    const diff = await git(dir, ['diff', '--unified=0', 'HEAD', '--', '.', ':!package.json', ':!package-lock.json', ':!.ez-pixel', ':!src/ez-pixel.init.cjs', ':!.env']);
    const changed = diff.split('\n').filter((line) => /^[-+](?![-+])/.test(line));
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.every((line) => line.startsWith('-') && line.includes('// ez-pixel')), changed.join('\n')).toBe(true);
    for (const script of ['lint', 'format:check']) expect((await npm(dir, ['run', '-s', script])).exitCode, script).toBe(0);
  }, 300_000);
});

describe('biome (check + format) + pre-commit', () => {
  it('pass after install; after `biome format --write` in a new style and a commit, uninstall removes every line and file it added', async () => {
    const dir = await copyFixture('node-express-biome');
    expect((await npm(dir, ['install'])).exitCode).toBe(0); // the project's own setup, @biomejs/biome from the registry
    await git(dir, ['add', '--all']);
    await commit(dir, 'lockfile');
    const hook = join(dir, '.git', 'hooks', 'pre-commit');
    writeFileSync(hook, '#!/bin/sh\nnpm run -s lint && npm run -s format:check\n');
    chmodSync(hook, 0o755);
    for (const script of ['lint', 'format:check']) expect((await npm(dir, ['run', '-s', script])).exitCode, `${script} before install`).toBe(0);

    const install = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest().url], { cwd: dir });
    expect(install.exitCode, install.stderr).toBe(0);
    for (const script of ['lint', 'format:check']) {
      const run = await npm(dir, ['run', '-s', script]);
      expect(run.exitCode, `${script}:\n${run.all}`).toBe(0);
    }
    // Biome's defaults: double quotes, tabs in the generated init.
    expect(readFileSync(join(dir, 'src/index.js'), 'utf8')).toContain('\nrequire("./ez-pixel.init.cjs"); // ez-pixel\n');
    expect(readFileSync(join(dir, 'src/app.js'), 'utf8')).toContain('app.use(expressErrorHandler()); // ez-pixel\nmodule.exports = app;');
    expect(readFileSync(join(dir, 'src/ez-pixel.init.cjs'), 'utf8')).toMatch(/\n\t+\S/);
    await git(dir, ['add', '--all']);
    const committed = await commit(dir, 'ez-pixel'); // through the pre-commit hook
    expect(committed.exitCode, String(committed.all)).toBe(0);

    const { event } = await failedRequest(dir);
    expect(event.message).toBe('biome receipt printer jammed');

    // The user moves to spaces, single quotes and no semicolons, and lets biome rewrite everything, ours included.
    const config = JSON.parse(readFileSync(join(dir, 'biome.json'), 'utf8')) as Record<string, unknown>;
    config.formatter = { enabled: true, indentStyle: 'space', indentWidth: 4, lineWidth: 60 };
    config.javascript = { formatter: { quoteStyle: 'single', semicolons: 'asNeeded' } };
    writeFileSync(join(dir, 'biome.json'), `${JSON.stringify(config, null, '\t')}\n`);
    const reformat = await execa('npx', ['biome', 'format', '--write', '.'], { cwd: dir, env: quietEnv, reject: false, all: true });
    expect(reformat.exitCode, String(reformat.all)).toBe(0);
    expect(readFileSync(join(dir, 'src/ez-pixel.init.cjs'), 'utf8')).toContain("require('@ez-pixel/node')\n");
    expect(readFileSync(join(dir, 'src/app.js'), 'utf8')).toContain('app.use(expressErrorHandler()) // ez-pixel\n');
    await git(dir, ['add', '--all']);
    expect((await commit(dir, 'reformat')).exitCode).toBe(0);

    const uninstall = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir });
    expect(uninstall.exitCode, uninstall.stderr).toBe(0);
    expect(uninstall.stderr).not.toMatch(/left alone/);
    expect(existsSync(join(dir, 'src/ez-pixel.init.cjs'))).toBe(false);
    expect(existsSync(join(dir, '.ez-pixel'))).toBe(false);
    expect((await execa('git', ['grep', '-l', 'ez-pixel'], { cwd: dir, reject: false })).stdout).toBe('');
    const diff = await git(dir, ['diff', '--unified=0', 'HEAD', '--', '.', ':!package.json', ':!package-lock.json', ':!.ez-pixel', ':!src/ez-pixel.init.cjs', ':!.env']);
    const changed = diff.split('\n').filter((line) => /^[-+](?![-+])/.test(line));
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.every((line) => line.startsWith('-') && line.includes('// ez-pixel')), changed.join('\n')).toBe(true);
    for (const script of ['lint', 'format:check']) expect((await npm(dir, ['run', '-s', script])).exitCode, script).toBe(0);
  }, 300_000);
});

describe('node-express-ts-biome: biome check (recommended rules, organizeImports)', () => {
  it('passes after install, the app reports through the wired lines, and passes again after uninstall', async () => {
    const dir = await copyFixture('node-express-ts-biome');
    expect((await npm(dir, ['install'])).exitCode).toBe(0); // the project's own setup
    const check = () => npm(dir, ['run', '-s', 'check']);
    expect((await check()).exitCode).toBe(0);

    const install = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest().url], { cwd: dir });
    expect(install.exitCode, install.stderr).toBe(0);
    const afterInstall = await check();
    expect(afterInstall.exitCode, afterInstall.all).toBe(0);

    const { event } = await failedRequest(dir);
    expect(event).toMatchObject({ type: 'TypeError', message: 'shipment has no carrier', context: { request: { method: 'GET', path: '/boom' } } });
    expect(event.stack.find((frame) => frame.in_app)?.file).toBe('src/app.ts');

    expect((await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir })).exitCode).toBe(0);
    expect((await check()).exitCode).toBe(0);
    expect(await git(dir, ['status', '--porcelain', '--', '.', ':!package-lock.json'])).toBe('');
  }, 240_000);
});

describe('node-fastify-eslint-style: ESLint alone is the style (single quotes, no semicolons, no trailing commas)', () => {
  it('eslint passes after install and after uninstall, and the app reports a failed request', async () => {
    const dir = await copyFixture('node-fastify-eslint-style');
    expect((await npm(dir, ['install'])).exitCode).toBe(0); // the project's own setup
    const lint = () => npm(dir, ['run', '-s', 'lint']);
    expect((await lint()).exitCode).toBe(0);

    const install = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest().url], { cwd: dir });
    expect(install.exitCode, install.stderr).toBe(0);
    const afterInstall = await lint();
    expect(afterInstall.exitCode, afterInstall.all).toBe(0);

    const { event } = await failedRequest(dir);
    expect(event).toMatchObject({ type: 'SyntaxError', message: 'manifest is not valid', context: { request: { method: 'GET', path: '/boom' } } });

    expect((await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir })).exitCode).toBe(0);
    expect((await lint()).exitCode).toBe(0);
    expect(await git(dir, ['status', '--porcelain', '--', '.', ':!package-lock.json'])).toBe('');
  }, 240_000);
});

describe('node-express-bin-www: double quotes and no formatter (the quotes of the entry are the style)', () => {
  it('the lines and the init are in double quotes, the init still reads .env, and the app started by npm start reports', async () => {
    const dir = await copyFixture('node-express-bin-www');
    const install = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest().url], { cwd: dir });
    expect(install.exitCode, install.stderr).toBe(0);
    // The extensionless bin/www is a script too: its require is in its own quotes.
    expect(readFileSync(join(dir, 'bin/www'), 'utf8')).toContain('\nrequire("./ez-pixel.init.cjs"); // ez-pixel\n');
    const init = readFileSync(join(dir, 'bin/ez-pixel.init.cjs'), 'utf8');
    expect(init).toContain('require("@ez-pixel/node");');
    // Only string literals change quotes: the .env pattern still matches the single-quoted values install writes.
    expect(init).toContain(`/^(?:'[^']*'|"[^"]*")(?=`);
    const key = (JSON.parse(readFileSync(join(dir, '.ez-pixel/install.json'), 'utf8')) as { settings: { projectKey: string } }).settings.projectKey;
    expect(readFileSync(join(dir, '.env'), 'utf8')).toContain(`EZ_PIXEL_PROJECT_KEY='${key}'`);

    const { text, event, output } = await failedRequest(dir);
    expect(text).toBe('library error: loan ledger unreadable');
    expect(event).toMatchObject({ message: 'loan ledger unreadable', project_key: key, context: { request: { method: 'GET', path: '/boom' } } });
    expect(event.stack.find((frame) => frame.in_app)?.file).toBe('routes/library.js');
    expect(output).not.toMatch(/error reporting is disabled/);

    expect((await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir })).exitCode).toBe(0);
    expect(await git(dir, ['status', '--porcelain', '--ignored', '--', '.', ':!package-lock.json', ':!node_modules'])).toBe('');
  }, 180_000);
});
