// `install --dry-run` is readable: the install record is a short summary (not a JSON line holding
// a whole package.json), and the package manager's coming change to package.json is shown as a
// unified diff of the pretty file. The prediction is checked against what the real npm and pnpm
// then write, byte for byte.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unifiedDiff } from '../src/plan/diff.js';
import { copyFixture, makeProject, removeFixtureCopies } from './helpers/fixtures.js';
import { git, runCli } from './install-helpers.js';

afterAll(async () => {
  await removeFixtureCopies();
});

/** The package.json diff the dry run printed, between its announcement and the next file's header. */
function printedManifestDiff(stdout: string): string {
  const start = stdout.indexOf('which makes this change to package.json:\n');
  expect(start, stdout).toBeGreaterThanOrEqual(0);
  const body = stdout.slice(start).split('\n').slice(1);
  const next = body.findIndex((line, i) => i > 1 && line.startsWith('--- '));
  return `${body.slice(0, next).join('\n')}\n`;
}

async function dryRunThenInstall(dir: string, pm: string[] = []) {
  const before = readFileSync(join(dir, 'package.json'), 'utf8');
  const dry = await runCli(['install', '--dry-run', '--yes', '--cwd', dir, ...pm, '--ingest-url', 'http://127.0.0.1:9/ingest'], { cwd: dir });
  expect(dry.exitCode, dry.stderr).toBe(0);
  expect(await git(dir, ['status', '--porcelain', '--ignored'])).toBe('');
  const install = await runCli(['install', '--yes', '--cwd', dir, ...pm, '--ingest-url', 'http://127.0.0.1:9/ingest'], { cwd: dir });
  expect(install.exitCode, install.stderr).toBe(0);
  return { stdout: dry.stdout, before, after: readFileSync(join(dir, 'package.json'), 'utf8') };
}

describe('install --dry-run', () => {
  it('summarises install.json and shows the package.json change npm then makes', async () => {
    const dir = await copyFixture('node-plain-npm');
    const { stdout, before, after } = await dryRunThenInstall(dir);
    expect(stdout).toContain('create .ez-pixel/install.json: the install record that doctor, a re-run and uninstall read\n');
    expect(stdout).toContain('  entry       index.js: require(\'./ez-pixel.init.cjs\'); // ez-pixel\n');
    expect(stdout).toContain('  manifests   package.json (9 lines kept for uninstall to put back)');
    expect(stdout).not.toContain('"before":');
    expect(Math.max(...stdout.split('\n').map((line) => line.length))).toBeLessThan(200);
    const printed = printedManifestDiff(stdout);
    expect(printed).toContain('+  },\n+  "dependencies": {\n+    "@ez-pixel/node": "file:.ez-pixel/ez-pixel-node-0.2.0.tgz"\n');
    expect(printed).toBe(unifiedDiff('package.json', before, after));
  }, 240_000);

  it('predicts a tab-indented package.json with dependencies: sorted in, tabs kept (npm and pnpm)', async () => {
    for (const pm of ['npm', 'pnpm']) {
      const dir = await makeProject(`tabs-${pm}`, {
        'package.json': `{\n\t"name": "tabs",\n\t"version": "1.0.0",\n\t"private": true,\n\t"dependencies": {\n\t\t"local-lib": "file:./local-lib"\n\t},\n\t"scripts": {\n\t\t"start": "node server.js"\n\t}\n}\n`,
        'local-lib/package.json': '{ "name": "local-lib", "version": "1.0.0" }\n',
        'server.js': "require('local-lib');\n",
      });
      const { stdout, before, after } = await dryRunThenInstall(dir, ['--pm', pm]);
      const printed = printedManifestDiff(stdout);
      expect(printed, pm).toContain('+\t\t"@ez-pixel/node": "file:.ez-pixel/ez-pixel-node-0.2.0.tgz",\n \t\t"local-lib": "file:./local-lib"\n');
      expect(printed, pm).toBe(unifiedDiff('package.json', before, after));
    }
  }, 300_000);

  it('a re-run that changes only the URL shows an update of the record, and no package.json change', async () => {
    const dir = await copyFixture('node-plain-npm');
    await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', 'http://127.0.0.1:9/ingest'], { cwd: dir });
    const dry = await runCli(['install', '--dry-run', '--yes', '--cwd', dir, '--ingest-url', 'https://ingest.example.com/ingest'], { cwd: dir });
    expect(dry.exitCode, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('update .ez-pixel/install.json: the install record');
    expect(dry.stdout).toMatch(/settings {4}pk_live_.{4}… → https:\/\/ingest\.example\.com\/ingest\n/);
    expect(dry.stdout).not.toContain('which makes this change to package.json');
  }, 240_000);
});
