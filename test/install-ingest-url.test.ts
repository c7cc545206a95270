// `--ingest-url http://127.0.0.1:PORT`, the origin `listen` prints as its dashboard, names no
// endpoint: events POSTed to `/` are refused (HTTP 405) and lost, while the app runs as if wired
// (found on sufiyaan14/Job-Concurrency). install writes the /ingest endpoint and says so; doctor
// fails an init that still holds a bare origin. Real npm, a real ingest, a real crashing app.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, removeFixtureCopies } from './helpers/fixtures.js';
import { startTestIngest, type TestIngest } from './helpers/ingest.js';
import { doctorChecks, runCli } from './install-helpers.js';

let ingest: TestIngest;
let origin: string;
let dir: string;
let installOutput: string;

beforeAll(async () => {
  ingest = await startTestIngest();
  origin = new URL(ingest.url).origin;
  dir = await makeProject('bare-origin-app', {
    'package.json': JSON.stringify({ name: 'bare-origin-app', version: '1.0.0', private: true, type: 'module', scripts: { start: 'node app.js' } }, null, 2),
    'app.js': "throw new RangeError('bare origin crash');\n",
    '.gitignore': 'node_modules/\n.env\n',
  });
  const run = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', origin], { cwd: dir });
  expect(run.exitCode, run.stderr).toBe(0);
  installOutput = run.stdout + run.stderr;
}, 120_000);
afterAll(async () => {
  await ingest.dispose();
  await removeFixtureCopies();
});

describe('install --ingest-url with a bare origin', () => {
  it('writes the /ingest endpoint into the init and .env, and says so', () => {
    expect(installOutput).toContain(`--ingest-url ${origin} names no path; events go to ${origin}/ingest`);
    expect(readFileSync(join(dir, 'ez-pixel.init.mjs'), 'utf8')).toContain(`"${origin}/ingest"`);
    expect(readFileSync(join(dir, '.env'), 'utf8')).toContain(`EZ_PIXEL_INGEST_URL='${origin}/ingest'`);
  });

  it('the crash of the started app reaches the ingest', async () => {
    const crash = await execa('npm', ['start'], { cwd: dir, reject: false, timeout: 30_000 });
    expect(crash.exitCode).not.toBe(0);
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && !ingest.accepted.some((a) => a.event.type === 'RangeError')) await new Promise((r) => setTimeout(r, 100));
    expect(ingest.accepted.map((a) => a.event.message)).toContain('bare origin crash');
  });

  it('a path the user gave is kept as written', async () => {
    const run = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', `${origin}/ingest`], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout + run.stderr).not.toContain('names no path');
  });
});

describe('doctor with a bare origin in the init', () => {
  it('fails ingest, since the origin refuses events, and names the endpoint to install', async () => {
    for (const file of ['ez-pixel.init.mjs', '.env']) {
      writeFileSync(join(dir, file), readFileSync(join(dir, file), 'utf8').replaceAll(`${origin}/ingest`, origin));
    }
    const { exitCode, checks } = await doctorChecks(dir);
    expect(exitCode).toBe(1);
    const check = checks.get('ingest')!;
    expect(check.status).toBe('fail');
    expect(check.message).toBe(`${origin} names no path and is not an ingest (HTTP 405)`);
    expect(check.fix).toBe(`npx ez-pixel install --ingest-url ${origin}/ingest`);
  });
});
