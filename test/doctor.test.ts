// `ez-pixel doctor` end to end: a fixture copy wired by a real `ez-pixel install` (real npm / pip),
// a real ingest on 127.0.0.1, and each kind of breakage turning one named check into a failure.
import { execa } from 'execa';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli as runCliIn, useSuiteIngest } from './install-helpers.js';
import { copyFixture } from './helpers/fixtures.js';

/** Doctor and install runs name their project with --cwd; the process's own directory does not matter. */
const runCli = (args: string[]) => runCliIn(args, { cwd: tmpdir() });

interface Checks {
  checks: { id: string; status: 'pass' | 'warn' | 'fail'; message: string; fix: string | null }[];
}

async function doctor(dir: string, ...flags: string[]): Promise<{ exitCode: number | undefined; byId: Map<string, Checks['checks'][number]> }> {
  const result = await runCli(['doctor', '--json', '--cwd', dir, ...flags]);
  const parsed = JSON.parse(result.stdout) as Checks;
  return { exitCode: result.exitCode, byId: new Map(parsed.checks.map((check) => [check.id, check])) };
}

/** A port nothing listens on: bind one, note it, close it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const ingest = useSuiteIngest();

describe('doctor on a wired Node project', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await copyFixture('node-plain-npm');
    const install = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest().url]);
    expect(install.exitCode, install.stderr).toBe(0);
  });

  it('passes every check and its probe reaches the ingest', async () => {
    const before = ingest().accepted.length;
    const { exitCode, byId } = await doctor(dir);
    expect([...byId.values()].filter((c) => c.status === 'fail')).toEqual([]);
    expect(exitCode).toBe(0);
    expect([...byId.keys()]).toEqual(['project', 'manifest', 'installed', 'init-file', 'load-order', 'entry-runs', 'key', 'env', 'committable', 'ingest', 'probe']);
    const probe = ingest().accepted.slice(before).map((a) => a.event);
    expect(probe).toHaveLength(1);
    expect(probe[0]).toMatchObject({ manual_report: true, type: 'Message' });
    expect(String(probe[0]?.message)).toContain('ez-pixel doctor');
  });

  it('prints ✓ lines and a closing count for people', async () => {
    const result = await runCli(['doctor', '--cwd', dir, '--no-send']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^✓ project/m);
    expect(result.stdout).toMatch(/no problems found/);
    expect(result.stdout).not.toMatch(/probe/);
  });

  it('fails load-order when the import is removed', async () => {
    const entry = join(dir, 'index.js');
    const wired = await readFile(entry, 'utf8');
    await writeFile(entry, wired.split('\n').filter((line) => !line.includes('// ez-pixel')).join('\n'));
    try {
      const { exitCode, byId } = await doctor(dir, '--no-send');
      expect(exitCode).toBe(1);
      expect(byId.get('load-order')).toMatchObject({ status: 'fail' });
      expect(byId.get('load-order')?.fix).toContain("require('./ez-pixel.init.cjs')");
    } finally {
      await writeFile(entry, wired);
    }
  });

  it('fails load-order when the init is moved after another require', async () => {
    const entry = join(dir, 'index.js');
    const wired = await readFile(entry, 'utf8');
    const lines = wired.split('\n');
    const ours = lines.findIndex((line) => line.includes('// ez-pixel'));
    const theirs = lines.findIndex((line, i) => i > ours && line.includes('require('));
    const [moved] = lines.splice(ours, 1);
    lines.splice(theirs, 0, moved as string);
    await writeFile(entry, lines.join('\n'));
    try {
      const { exitCode, byId } = await doctor(dir, '--no-send');
      expect(exitCode).toBe(1);
      expect(byId.get('load-order')).toMatchObject({ status: 'fail' });
      expect(byId.get('load-order')?.message).toMatch(/before loading/);
    } finally {
      await writeFile(entry, wired);
    }
  });

  it('fails init-file on a malformed key', async () => {
    const init = join(dir, 'ez-pixel.init.cjs');
    const original = await readFile(init, 'utf8');
    await writeFile(init, original.replace(/"pk_live_[0-9a-f]+"/, '"pk_live_not a key!"'));
    try {
      const { exitCode, byId } = await doctor(dir, '--no-send');
      expect(exitCode).toBe(1);
      expect(byId.get('init-file')).toMatchObject({ status: 'fail' });
      expect(byId.get('init-file')?.message).toContain('malformed');
    } finally {
      await writeFile(init, original);
    }
  });

  it('fails ingest (and skips the probe) when the ingest is unreachable', async () => {
    const { exitCode, byId } = await doctor(dir, '--ingest-url', `http://127.0.0.1:${await closedPort()}/ingest`);
    expect(exitCode).toBe(1);
    expect(byId.get('ingest')).toMatchObject({ status: 'fail' });
    expect(byId.get('ingest')?.fix).toContain('npx ez-pixel listen');
    expect(byId.has('probe')).toBe(false);
  });

  it('fails key when --key disagrees with the configuration', async () => {
    const { exitCode, byId } = await doctor(dir, '--no-send', '--key', 'pk_live_00000000000000000000000000000000');
    expect(exitCode).toBe(1);
    expect(byId.get('key')).toMatchObject({ status: 'fail' });
  });

  it('fails manifest, without crashing, when package.json stops parsing', async () => {
    const manifest = join(dir, 'package.json');
    const original = await readFile(manifest, 'utf8');
    await writeFile(manifest, original.replace(/}\s*$/, ',}\n'));
    try {
      const { exitCode, byId } = await doctor(dir, '--no-send');
      expect(exitCode).toBe(1);
      expect(byId.get('manifest')).toMatchObject({ status: 'fail' });
      expect(byId.get('manifest')?.message).toContain('does not parse');
    } finally {
      await writeFile(manifest, original);
    }
  });

  it('fails installed when the SDK is removed by hand', async () => {
    await rm(join(dir, 'node_modules', '@ez-pixel'), { recursive: true, force: true });
    const { exitCode, byId } = await doctor(dir, '--no-send');
    expect(exitCode).toBe(1);
    expect(byId.get('installed')).toMatchObject({ status: 'fail' });
    expect(byId.get('manifest')).toMatchObject({ status: 'pass' });
  });
});

describe('doctor on a wired Python project', () => {
  it('passes, with the probe sent by the project virtualenv', async () => {
    const dir = await copyFixture('py-script-pip');
    await execa('python3', ['-m', 'venv', '.venv'], { cwd: dir });
    const install = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest().url]);
    expect(install.exitCode, install.stderr).toBe(0);
    const before = ingest().accepted.length;
    const { exitCode, byId } = await doctor(dir);
    expect([...byId.values()].filter((c) => c.status === 'fail')).toEqual([]);
    expect(exitCode).toBe(0);
    expect(byId.get('probe')?.status).toBe('pass');
    expect(ingest().accepted.slice(before).some((a) => String(a.event.message).includes('ez-pixel doctor'))).toBe(true);
  });
});

describe('doctor usage', () => {
  it('fails the project check where there is nothing to instrument', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ez-pixel-empty-'));
    const { exitCode, byId } = await doctor(dir);
    await rm(dir, { recursive: true, force: true });
    expect(exitCode).toBe(1);
    expect(byId.get('project')).toMatchObject({ status: 'fail' });
  });

  it('fails the project check, without crashing, when no entry file can be found', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ez-pixel-no-entry-'));
    await writeFile(join(dir, 'package.json'), '{ "name": "a" }\n');
    const { exitCode, byId } = await doctor(dir);
    await rm(dir, { recursive: true, force: true });
    expect(exitCode).toBe(1);
    expect(byId.get('project')).toMatchObject({ status: 'fail' });
    expect(byId.get('project')?.fix).toContain('--entry');
  });

  it('exits 2 on a malformed --key or --ingest-url', async () => {
    expect((await runCli(['doctor', '--key', 'nope'])).exitCode).toBe(2);
    expect((await runCli(['doctor', '--ingest-url', 'ftp://x'])).exitCode).toBe(2);
  });
});
