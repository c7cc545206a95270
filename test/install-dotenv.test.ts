// The Node init honours the project's .env for EZ_PIXEL_* (and only those: the app's other .env
// values stay out of process.env), the environment still wins, and doctor fails when .env and the
// init disagree or when git would ignore what .ez-pixel/ must commit. Real npm, real ingests.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, removeFixtureCopies } from './helpers/fixtures.js';
import { startTestIngest, type TestIngest } from './helpers/ingest.js';
import { git, runCli } from './install-helpers.js';

let first: TestIngest;
let second: TestIngest;
beforeAll(async () => {
  [first, second] = await Promise.all([startTestIngest(), startTestIngest()]);
});
afterAll(async () => {
  await Promise.all([first.dispose(), second.dispose()]);
  await removeFixtureCopies();
});

async function arrives(ingest: TestIngest, type: string): Promise<boolean> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (ingest.accepted.some((a) => a.event.type === type)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

type Checks = Array<{ id: string; status: string; message: string; fix: string | null }>;
async function doctor(dir: string): Promise<Checks> {
  const run = await runCli(['doctor', '--cwd', dir, '--json', '--no-send'], { cwd: dir });
  return JSON.parse(run.stdout).checks as Checks;
}

describe('an ESM app whose .env is changed after install', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await makeProject('dotenv-app', {
      'package.json': JSON.stringify({ name: 'dotenv-app', version: '1.0.0', private: true, type: 'module', scripts: { start: 'node app.js' } }, null, 2),
      'app.js': [
        "console.log(`other=${process.env.DATABASE_PASSWORD ?? 'unset'}`);",
        "if (process.argv.includes('--crash')) throw new RangeError('crash ' + (process.env.CRASH_TAG ?? 'x'));",
        '',
      ].join('\n'),
      '.env': 'DATABASE_PASSWORD=hunter2\n',
      '.gitignore': 'node_modules/\n.env\n',
    });
    const run = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', 'http://127.0.0.1:9/ingest'], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
  });

  it('sends to the URL .env names, without loading .env’s other values into the app', async () => {
    const env = readFileSync(join(dir, '.env'), 'utf8').replace(/EZ_PIXEL_INGEST_URL=.*\n/, `EZ_PIXEL_INGEST_URL="${first.url}" # changed by hand\n`);
    writeFileSync(join(dir, '.env'), env);
    const crash = await execa('npm', ['start', '--silent', '--', '--crash'], { cwd: dir, reject: false, timeout: 30_000 });
    expect(crash.stdout).toContain('other=unset');
    expect(await arrives(first, 'RangeError')).toBe(true);
  });

  it('the environment still wins over .env', async () => {
    const crash = await execa('node', ['app.js', '--crash'], { cwd: dir, env: { EZ_PIXEL_INGEST_URL: second.url }, reject: false, timeout: 30_000 });
    expect(crash.exitCode).toBe(1);
    expect(await arrives(second, 'RangeError')).toBe(true);
  });

  it('doctor fails the disagreement, names which value the app uses, and checks that one', async () => {
    const checks = await doctor(dir);
    const env = checks.find((c) => c.id === 'env')!;
    expect(env.status).toBe('fail');
    expect(env.message).toContain(`.env sets EZ_PIXEL_INGEST_URL=${first.url}`);
    expect(env.message).toContain('the app sends to .env');
    expect(env.fix).toContain('--ingest-url');
    expect(checks.find((c) => c.id === 'ingest')?.message).toContain(first.url);
  });

  it('after install --ingest-url writes both, doctor passes env', async () => {
    const run = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', first.url], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect((await doctor(dir)).find((c) => c.id === 'env')?.status).toBe('pass');
  });

  it('doctor fails committable when git would ignore the SDK artifact, and names the rule', async () => {
    expect((await doctor(dir)).find((c) => c.id === 'committable')?.status).toBe('pass');
    appendFileSync(join(dir, '.gitignore'), '.ez-pixel/\n');
    const committable = (await doctor(dir)).find((c) => c.id === 'committable')!;
    expect(committable.status).toBe('fail');
    expect(committable.message).toMatch(/\.ez-pixel\/ez-pixel-node-[\d.]+\.tgz \(by \.gitignore:3:\.ez-pixel\/\)/);
    expect(committable.fix).toContain('remove the rule');
    expect(await git(dir, ['status', '--porcelain', '--ignored', '.ez-pixel'])).toContain('!! .ez-pixel/');
  });
});
