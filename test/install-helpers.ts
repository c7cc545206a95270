/**
 * Helpers for the install/uninstall tests: run the built CLI as a real child process (no TTY),
 * fingerprint a whole directory tree (every byte and mode, .git excluded) to prove "byte-identical",
 * fake npm registries on 127.0.0.1 that fail or hang for real, and the suite's own ingest.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, expect } from 'vitest';
import { copyFixture, removeFixtureCopies } from './helpers/fixtures.js';
import { startTestIngest, type TestIngest } from './helpers/ingest.js';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
/** The built CLI; EZ_PIXEL_CLI points at a private build when others rebuild dist/ meanwhile. */
export const cliPath = process.env.EZ_PIXEL_CLI ?? join(repoRoot, 'bin', 'ez-pixel.js');

export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Environment that keeps package managers offline-friendly and quiet in tests. */
export const quietEnv: Record<string, string> = {
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_prefer_offline: 'true',
  npm_config_update_notifier: 'false',
};

export function startCli(args: string[], options: { cwd: string; env?: Record<string, string> }): ResultPromise<{ reject: false }> {
  return execa(process.execPath, [cliPath, ...args], {
    cwd: options.cwd,
    env: { ...quietEnv, ...options.env },
    stdin: 'ignore',
    reject: false,
    timeout: 180_000,
  }) as ResultPromise<{ reject: false }>;
}

export async function runCli(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<CliRun> {
  const result = await startCli(args, options);
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** path → sha256 of content and mode, for every file under `dir` except .git. */
export function treeFingerprint(dir: string): Map<string, string> {
  const prints = new Map<string, string>();
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      if (entry.name === '.git') continue;
      const path = join(current, entry.name);
      if (entry.isSymbolicLink()) {
        prints.set(relative(dir, path), `link:${readlinkSync(path)}`);
      } else if (entry.isDirectory()) {
        prints.set(`${relative(dir, path)}/`, 'dir');
        walk(path);
      } else {
        const mode = statSync(path).mode & 0o7777;
        prints.set(relative(dir, path), `${mode.toString(8)}:${createHash('sha256').update(readFileSync(path)).digest('hex')}`);
      }
    }
  };
  walk(dir);
  return prints;
}

/** The paths whose fingerprint differs between two trees (added, removed or changed). */
export function treeDifferences(before: Map<string, string>, after: Map<string, string>): string[] {
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths].filter((path) => before.get(path) !== after.get(path)).sort();
}

export async function git(cwd: string, args: string[]): Promise<string> {
  return String((await execa('git', args, { cwd })).stdout);
}

/** A registry on 127.0.0.1: 'missing' answers 404 to everything; 'hang' accepts and never answers. */
export interface FakeRegistry {
  url: string;
  requests: number;
  /** Connections still open (a killed npm closes its own). */
  openConnections(): Promise<number>;
  close(): Promise<void>;
}

export async function startFakeRegistry(mode: 'missing' | 'hang'): Promise<FakeRegistry> {
  const state = { requests: 0 };
  const server: Server = createServer((request, response) => {
    state.requests += 1;
    if (mode === 'missing') {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end('{"error":"Not found"}');
    }
    // 'hang': keep the request open until close() cuts it.
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    get requests() {
      return state.requests;
    },
    openConnections: () => new Promise<number>((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count)))),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type DoctorCheck = { id: string; status: string; message: string; fix: string | null };

/** `doctor --json --no-send` on `dir`: its exit code and its checks by id. */
export async function doctorChecks(dir: string): Promise<{ exitCode: number; checks: Map<string, DoctorCheck> }> {
  const run = await runCli(['doctor', '--cwd', dir, '--json', '--no-send'], { cwd: dir });
  return { exitCode: run.exitCode, checks: new Map((JSON.parse(run.stdout).checks as DoctorCheck[]).map((check) => [check.id, check])) };
}

/**
 * One real ingest for the calling suite (started before its tests, closed after them, when the
 * suite's fixture copies are removed too), read through the returned getter as usePostgres does.
 */
export function useSuiteIngest(): () => TestIngest {
  let ingest: TestIngest | undefined;
  beforeAll(async () => {
    ingest = await startTestIngest();
  });
  afterAll(async () => {
    await ingest?.dispose();
    await removeFixtureCopies();
  });
  return () => {
    if (!ingest) throw new Error('useSuiteIngest(): the ingest starts in beforeAll');
    return ingest;
  };
}

/**
 * A copy of an npm fixture with its dependencies installed and committed (`original` is its tree
 * then), built once before install, as an app already deployed is: doctor must say that build
 * reports nothing.
 */
export async function installedFixtureBuiltBeforeInstall(name: string): Promise<{ dir: string; original: Map<string, string> }> {
  const dir = await copyFixture(name);
  const npm = (args: string[]) => execa('npm', args, { cwd: dir, env: quietEnv, reject: false, all: true, timeout: 300_000 });
  const setup = await npm(['install', '--no-audit', '--no-fund']);
  expect(setup.exitCode, String(setup.all)).toBe(0);
  await git(dir, ['add', '--all']);
  await git(dir, ['commit', '--quiet', '--no-verify', '--message', 'npm install']);
  const original = treeFingerprint(dir);
  const build = await npm(['run', 'build']);
  expect(build.exitCode, String(build.all)).toBe(0);
  return { dir, original };
}

/**
 * A re-run of install changes nothing; uninstall leaves git's status clean, the tree as `original`
 * apart from what `made` matches (what builds and caches made), and npm's @ez-pixel/ scope empty.
 */
export async function expectRerunThenUninstall(dir: string, original: Map<string, string>, ingestUrl: string, made: RegExp): Promise<void> {
  const wired = treeFingerprint(dir);
  const again = await runCli(['install', '--yes', '--ingest-url', ingestUrl, '--cwd', dir], { cwd: dir, env: quietEnv });
  expect(again.exitCode, again.stderr).toBe(0);
  expect(again.stderr).toContain('Already set up');
  expect(treeDifferences(wired, treeFingerprint(dir))).toEqual([]);
  const uninstall = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir, env: quietEnv });
  expect(uninstall.exitCode, uninstall.stderr).toBe(0);
  expect((await git(dir, ['status', '--porcelain'])).trim()).toBe('');
  expect(treeDifferences(original, treeFingerprint(dir)).filter((path) => !made.test(path))).toEqual([]);
  expect(readdirSync(join(dir, 'node_modules', '@ez-pixel'))).toEqual([]);
}
