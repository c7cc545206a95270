// End to end on a Starlette app (py-starlette-pip, modelled on encode/starlette-example: Starlette
// alone, requirements.txt, scripts/install and scripts/run, its own 500 handler): it is detected
// as Starlette, not as a script; set up with its own scripts/install, started with its own
// scripts/run command on 127.0.0.1, a route that throws sends exactly one event with
// {method, path, route} and the innermost in-app frame; doctor is green; uninstall gives back every byte.
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { copyFixture } from './helpers/fixtures.js';
import { freePort, until } from './helpers/run-app.js';
import { git, runCli, useSuiteIngest } from './install-helpers.js';

const ingest = useSuiteIngest();

describe('Starlette (py-starlette-pip)', () => {
  it('detects Starlette, reports a failing route once with its request context, doctor green, uninstall byte-identical', async () => {
    const dir = await copyFixture('py-starlette-pip');
    const setup = await execa('scripts/install', [], { cwd: dir, reject: false, all: true, timeout: 240_000 });
    expect(setup.exitCode, String(setup.all)).toBe(0);

    const install = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest().url], { cwd: dir });
    expect(install.exitCode, install.stderr).toBe(0);
    expect(install.stderr).toContain('python / starlette, pip, entry app.py');
    expect(install.stderr).toContain('app.py defines the Starlette app');
    expect(install.stderr).toContain('2. venv/bin/python app.py (or however you start the app)');

    const port = await freePort();
    const app = execa(join(dir, 'venv', 'bin', 'python'), ['app.py'], { cwd: dir, env: { PORT: String(port) }, reject: false, all: true, timeout: 120_000 });
    let output = '';
    app.all?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const base = `http://127.0.0.1:${port}`;
      await until(async () => ((await fetch(`${base}/`).then((r) => r.ok, () => false)) ? true : undefined), 60_000, () => `the app to answer:\n${output}`);
      const failed = await fetch(`${base}/quote/0?coupon=secret`);
      expect(failed.status).toBe(500);
      expect(await failed.text()).toBe('sorry'); // the app's own 500 page, as before
      await until(() => (ingest().accepted.length > 0 ? true : undefined), 20_000, () => `an event; the app said:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 500)); // a duplicate would have arrived by now
      expect(ingest().accepted).toHaveLength(1);
      const event = ingest().accepted[0]!.event;
      expect(event.type).toBe('ZeroDivisionError');
      // No query string, no headers, no body: the route template says which handler it was.
      expect(event.context).toEqual({ request: { method: 'GET', path: '/quote/0', route: '/quote/{parcels:int}' } });
      expect(event.stack.find((frame) => frame.in_app)).toMatchObject({ file: 'quotes.py', fn: 'price_per_parcel' }); // innermost first
    } finally {
      app.kill('SIGTERM');
      await app;
    }

    const doctor = await runCli(['doctor', '--json', '--cwd', dir], { cwd: dir });
    const checks = (JSON.parse(doctor.stdout) as { checks: { id: string; status: string; message: string }[] }).checks;
    expect(checks.filter((check) => check.status === 'fail'), doctor.stderr).toEqual([]);
    expect(checks.find((check) => check.id === 'entry-runs')).toMatchObject({ status: 'pass', message: 'app.py is what `venv/bin/python app.py` (scripts/run) loads' });

    const uninstall = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir });
    expect(uninstall.exitCode, uninstall.stderr).toBe(0);
    expect(await git(dir, ['status', '--porcelain', '--untracked-files=all'])).toBe('');
  });
});
