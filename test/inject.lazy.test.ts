/**
 * ts-morph is large: importing the injection and template modules must not load it (the CLI's
 * --help and `listen` import nothing heavy); only parsing a JS/TS entry does. The modules are compiled
 * with the root's tsc into a temp dir (rootDir the repository: src/ imports runtimes/node/src through the
 * ingest's source-map readers) and run in a child node whose resolve hook logs every module URL
 * (and which lists the CommonJS modules it required at the end).
 */
import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempProject } from './fixtures/inject/projects.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
let dir = '';

beforeAll(async () => {
  dir = tempProject({
    'hooks.mjs':
      "import { appendFileSync } from 'node:fs';\n" +
      'export async function resolve(specifier, context, next) {\n' +
      '  const result = await next(specifier, context);\n' +
      "  appendFileSync(process.env.RESOLVE_LOG, result.url + '\\n');\n" +
      '  return result;\n' +
      '}\n',
    'register.mjs': "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n",
    'package.json': '{ "type": "module" }\n',
  });
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const tsc = join(repo, 'node_modules/typescript/bin/tsc');
  const options = ['--outDir', dir, '--rootDir', repo, '--module', 'NodeNext', '--moduleResolution', 'NodeNext'];
  const compiled = await execa('node', [tsc, ...options, '--target', 'ES2022', '--skipLibCheck', '--types', 'node', 'src/inject/index.ts', 'src/templates/index.ts'], {
    cwd: repo,
    reject: false,
  });
  expect(`${compiled.stdout}${compiled.stderr}`).toBe('');
});

/** Runs `body` after importing both modules; returns the module URLs resolved. */
async function resolvedModules(body: string): Promise<string[]> {
  const log = join(dir, `resolve-${Math.random().toString(36).slice(2)}.log`);
  const script = [
    "const inject = await import('./src/inject/index.js');",
    "const templates = await import('./src/templates/index.js');",
    `const project = { root: ${JSON.stringify(dir)}, runtime: 'node', framework: 'plain', packageManager: 'npm', workspaceRoot: null,`,
    "  moduleSystem: 'esm', typescript: false, manifest: 'package.json', interpreter: 'python3', entry: 'a.mjs', evidence: [] };",
    "const wiring = templates.initWiringFor(project, { projectKey: 'pk_live_x', ingestUrl: 'http://127.0.0.1:1/i' });",
    body,
    // ts-morph is loaded with require() (see src/load-ts-morph.ts), which resolve hooks do not see.
    "import { createRequire } from 'node:module';",
    "import { appendFileSync } from 'node:fs';",
    "appendFileSync(process.env.RESOLVE_LOG, Object.keys(createRequire(import.meta.url).cache).join('\\n') + '\\n');",
  ].join('\n');
  const result = await execa('node', ['--import', './register.mjs', '--input-type=module', '-e', script], {
    cwd: dir,
    env: { RESOLVE_LOG: log },
    reject: false,
  });
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  return readFileSync(log, 'utf8').trim().split('\n');
}

const loadsTsMorph = (urls: string[]): boolean => urls.some((url) => url.includes('/node_modules/ts-morph/'));

describe('ts-morph loads lazily', () => {
  it('is not loaded by importing the modules and building a wiring', async () => {
    const urls = await resolvedModules('');
    expect(urls.some((url) => url === pathToFileURL(join(dir, 'src/inject/index.js')).href)).toBe(true);
    expect(loadsTsMorph(urls)).toBe(false);
  });

  it('is not loaded to wire a Python entry', async () => {
    const urls = await resolvedModules(
      "const result = await inject.addInit({ ...project, runtime: 'python', framework: 'script', entry: 'app.py' }, 'app.py', 'import os\\n', templates.initWiringFor({ ...project, runtime: 'python', entry: 'app.py' }, { projectKey: 'pk_live_x', ingestUrl: 'http://127.0.0.1:1/i' }));\nif (result.kind !== 'insert') throw new Error(JSON.stringify(result));",
    );
    expect(loadsTsMorph(urls)).toBe(false);
  });

  it('is loaded once a JS entry is parsed (so the check above can see it)', async () => {
    const urls = await resolvedModules("const order = await inject.initLoadOrder(project, 'a.mjs', \"import './ez-pixel.init.mjs';\\n\");\nif (order.kind !== 'first') throw new Error(JSON.stringify(order));");
    expect(loadsTsMorph(urls)).toBe(true);
  });
});
