// TypeScript run from source: the init's specifier follows the project's own relative imports, so
// it resolves under tsx, ts-node, esbuild-register and Bun alike (a `.js` specifier, which NodeNext
// alone would suggest, crashes ts-node and esbuild-register with MODULE_NOT_FOUND). Each runner is
// started through the project's own npm scripts, crashes, and the event reaches a real ingest.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { ownImportStyle } from '../src/platforms/node/templates/import-style.js';
import { initWiringFor } from '../src/templates/index.js';
import type { Project } from '../src/project.js';
import { copyFixture, makeProject } from './helpers/fixtures.js';
import { quietEnv, repoRoot, runCli, treeDifferences, treeFingerprint, useSuiteIngest } from './install-helpers.js';

const ingest = useSuiteIngest();

const toolsPath = `${join(repoRoot, '.tools', 'bin')}:${process.env.PATH}`;

describe('node-ts-runners (NodeNext, CommonJS, extensionless imports)', () => {
  let dir: string;
  let original: Map<string, string>;

  beforeAll(async () => {
    dir = await copyFixture('node-ts-runners');
    original = treeFingerprint(dir);
    const run = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest().url], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
  }, 240_000);

  it('imports the init in the style of the entry’s own imports: extensionless', () => {
    expect(readFileSync(join(dir, 'src/index.ts'), 'utf8').split('\n')[0]).toBe("import './ez-pixel.init'; // ez-pixel");
  });

  for (const script of ['start', 'start:ts-node', 'start:esbuild', 'start:bun']) {
    it(`npm run ${script} loads the init, and its crash is reported`, async () => {
      const before = ingest().accepted.length;
      const crash = await execa('npm', ['run', '--silent', script, '--', '--crash'], { cwd: dir, env: { ...quietEnv, PATH: toolsPath }, reject: false, timeout: 60_000 });
      expect(crash.stderr).not.toContain('Cannot find module');
      expect(crash.stderr).toContain('TypeError');
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline && ingest().accepted.length === before) await new Promise((r) => setTimeout(r, 100));
      const event = ingest().accepted[before]?.event;
      expect(event?.type).toBe('TypeError');
      expect(event?.stack.filter((frame) => frame.in_app).map((frame) => frame.file)).toContain('src/orders.ts');
    }, 90_000);
  }

  it('the project still type-checks, and uninstall gives the tree back', async () => {
    const typecheck = await execa('npm', ['run', '--silent', 'typecheck'], { cwd: dir, env: quietEnv, reject: false });
    expect(typecheck.exitCode, typecheck.stdout).toBe(0);
    const run = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(treeDifferences(original, treeFingerprint(dir))).toEqual([]);
  }, 120_000);
});

describe('the specifier of a TypeScript entry', () => {
  const project = (root: string, entry: string): Project => ({
    root, runtime: 'node', framework: 'plain', packageManager: 'npm', workspaceRoot: null, moduleSystem: 'esm',
    typescript: true, manifest: 'package.json', interpreter: null, entry, evidence: [],
  });
  const settings = { projectKey: 'pk_test_x', ingestUrl: 'http://127.0.0.1/ingest' };

  it('reads the most common style of the file’s own relative imports, ignoring ours and packages', () => {
    expect(ownImportStyle("import a from './a.js';\nimport b from '../b.js';\nimport c from './c';\n")).toBe('.js');
    expect(ownImportStyle("import x from 'express';\nimport './ez-pixel.init.js';\n")).toBeNull();
    expect(ownImportStyle("const a = require('./a');\nimport('./lazy');\n")).toBe('');
    expect(ownImportStyle("import { a } from './a.ts';\n")).toBe('.ts');
    expect(ownImportStyle("import styles from './app.css';\n")).toBeNull();
  });

  it('uses .ts under node --experimental-strip-types, .js for NodeNext without own imports, else none', async () => {
    const strip = await makeProject('strip', { 'package.json': JSON.stringify({ scripts: { start: 'node --experimental-strip-types src/main.ts' } }), 'src/main.ts': 'console.log(1);\n' });
    expect(initWiringFor(project(strip, 'src/main.ts'), settings).specifier).toBe('./ez-pixel.init.ts');
    const nodenext = await makeProject('nodenext', { 'package.json': '{}', 'tsconfig.json': '{"compilerOptions":{"module":"NodeNext"}}', 'src/main.ts': 'console.log(1);\n' });
    expect(initWiringFor(project(nodenext, 'src/main.ts'), settings).specifier).toBe('./ez-pixel.init.js');
    const ownStyle = await makeProject('own', { 'package.json': '{}', 'tsconfig.json': '{"compilerOptions":{"module":"NodeNext"}}', 'src/main.ts': "import { a } from './a';\n" });
    expect(initWiringFor(project(ownStyle, 'src/main.ts'), settings).specifier).toBe('./ez-pixel.init');
    const bundler = await makeProject('bundler', { 'package.json': '{}', 'tsconfig.json': '{"compilerOptions":{"module":"ESNext","moduleResolution":"bundler"}}', 'src/main.ts': 'console.log(1);\n' });
    expect(initWiringFor(project(bundler, 'src/main.ts'), settings).specifier).toBe('./ez-pixel.init');
  });
});
