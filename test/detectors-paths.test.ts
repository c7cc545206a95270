/**
 * How detectors find files: never below node_modules and never by walking the tree; entries from
 * tsconfig chains, `exports`, `scripts` and conventional paths; module systems; Python settings,
 * entry points, manifests and interpreters.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { detect, type Detection } from '../src/detectors/index.js';
import { findInterpreter } from '../src/platforms/python/detect/interpreter.js';
import type { Project } from '../src/project.js';
import { copyFixture, makeProject, removeFixtureCopies } from './helpers/fixtures.js';

afterAll(removeFixtureCopies);

function projectOf(detection: Detection): Project {
  if (detection.kind !== 'project') throw new Error(`expected a project, got ${JSON.stringify(detection)}`);
  return detection.project;
}

const pkg = (fields: Record<string, unknown>) => JSON.stringify({ name: 'p', version: '1.0.0', ...fields }, null, 2);

describe('what detection opens', () => {
  // Records every path the fs/promises functions detection uses are called with. Node's ES module
  // namespace for builtins follows the CommonJS object after syncBuiltinESMExports().
  const fsPromises = createRequire(import.meta.url)('node:fs/promises') as Record<string, (...args: unknown[]) => unknown>;
  const watched = ['readFile', 'readdir', 'stat', 'lstat', 'access', 'open', 'opendir'];
  const originals = new Map(watched.map((name) => [name, fsPromises[name]!]));
  let touched: string[] = [];

  beforeEach(() => {
    touched = [];
    for (const [name, original] of originals) {
      fsPromises[name] = (...args: unknown[]) => {
        touched.push(String(args[0]));
        return original(...args);
      };
    }
    syncBuiltinESMExports();
  });

  afterEach(() => {
    for (const [name, original] of originals) fsPromises[name] = original;
    syncBuiltinESMExports();
  });

  it('never opens node_modules, even a huge one, and does not walk a 2,000-file tree', async () => {
    const dir = await copyFixture('node-express-yarn');
    const modules = join(dir, 'node_modules');
    for (let i = 0; i < 200; i++) {
      const pkgDir = join(modules, `pkg-${i}`);
      await mkdir(pkgDir, { recursive: true });
      await writeFile(join(pkgDir, 'package.json'), pkg({ name: `pkg-${i}`, main: 'index.js' }));
    }
    await mkdir(join(modules, 'express'), { recursive: true });
    await writeFile(join(modules, 'express', 'package.json'), pkg({ name: 'express' }));
    await writeFile(join(modules, '.package-lock.json'), '{}');
    await mkdir(join(modules, '.pnpm'));
    for (let i = 0; i < 2000; i++) {
      const sub = join(dir, 'routes', `group-${i % 40}`);
      if (i < 40) await mkdir(sub, { recursive: true });
      await writeFile(join(sub, `route-${i}.js`), '');
    }

    touched = [];
    const project = projectOf(await detect(dir));

    expect(project).toMatchObject({ framework: 'express', packageManager: 'yarn', entry: 'server.js' });
    expect(touched).toContain(join(dir, 'package.json'));
    expect(touched.filter((path) => path.startsWith(modules))).toEqual([]);
    expect(touched.filter((path) => path.includes(`${join(dir, 'routes')}/`))).toEqual([]);
    expect(touched.length).toBeLessThan(100);
  });

  it('never opens node_modules or virtualenvs while looking one level down', async () => {
    const dir = await copyFixture('mixed-repo');
    await mkdir(join(dir, 'node_modules', 'left-pad'), { recursive: true });
    await writeFile(join(dir, 'node_modules', 'left-pad', 'package.json'), pkg({ name: 'left-pad' }));
    await mkdir(join(dir, '.venv', 'lib'), { recursive: true });
    await writeFile(join(dir, '.venv', 'pyproject.toml'), '');

    touched = [];
    const detection = await detect(dir);

    expect(detection.kind === 'choose' && detection.choices.map((c) => c.label)).toEqual(['backend (backend/pyproject.toml)', 'frontend (frontend/package.json)']);
    expect(touched).toContain(join(dir, 'backend', 'pyproject.toml'));
    expect(touched.filter((path) => path.startsWith(join(dir, 'node_modules')) || path.startsWith(join(dir, '.venv')))).toEqual([]);
  });
});

describe('Node entries', () => {
  it('follows a relative tsconfig extends chain to map dist/ back to the source', async () => {
    const dir = await makeProject('ts-extends', {
      'package.json': pkg({ main: 'build/app/server.js', devDependencies: { typescript: '^5' } }),
      'tsconfig.json': '{ "extends": "./config/tsconfig.base.json", /* local */ "compilerOptions": { "strict": true, }, }',
      'config/tsconfig.base.json': '{ "compilerOptions": { "module": "commonjs", "rootDir": "../source", "outDir": "../build" } }',
      'source/app/server.ts': '',
    });
    const project = projectOf(await detect(dir));
    expect(project).toMatchObject({ entry: 'source/app/server.ts', typescript: true, moduleSystem: 'cjs' });
    expect(project.evidence).toContainEqual({ about: 'module', says: 'tsconfig.json module is commonjs' });
  });

  it('maps dist/ to src/ when tsconfig has an outDir but no rootDir', async () => {
    const dir = await makeProject('ts-no-rootdir', {
      'package.json': pkg({ main: './dist/index.js', type: 'module' }),
      'tsconfig.json': '{ "compilerOptions": { "module": "NodeNext", "outDir": "./dist" } }',
      'src/index.ts': '',
      'dist/index.js': '',
    });
    expect(projectOf(await detect(dir))).toMatchObject({ entry: 'src/index.ts', moduleSystem: 'esm' });
  });

  it('keeps a JavaScript main as it is when the project is not TypeScript', async () => {
    const dir = await makeProject('js-lib', { 'package.json': pkg({ main: 'lib/index.js' }), 'lib/index.js': '', 'src/index.ts': '' });
    expect(projectOf(await detect(dir))).toMatchObject({ entry: 'lib/index.js', typescript: false });
  });

  it('reads the entry from exports conditions', async () => {
    const dir = await makeProject('exports', {
      'package.json': pkg({ exports: { '.': { types: './types.d.ts', node: { import: './lib/main.mjs' }, default: './lib/other.js' } } }),
      'lib/main.mjs': '',
      'lib/other.js': '',
    });
    expect(projectOf(await detect(dir))).toMatchObject({ entry: 'lib/main.mjs', moduleSystem: 'esm' });
  });

  it('reads the file scripts.start or scripts.dev runs', async () => {
    const start = await makeProject('start', { 'package.json': pkg({ scripts: { start: 'NODE_ENV=production node --watch -r dotenv/config --import ./register.mjs --enable-source-maps src/http/boot.js' } }), 'src/http/boot.js': '' });
    expect(projectOf(await detect(start)).entry).toBe('src/http/boot.js');
    const dev = await makeProject('dev', { 'package.json': pkg({ scripts: { build: 'tsc', dev: 'tsx watch src/main.ts' } }), 'src/main.ts': '' });
    expect(projectOf(await detect(dev))).toMatchObject({ entry: 'src/main.ts', typescript: true });
    const extensionless = await makeProject('extensionless', { 'package.json': pkg({ scripts: { start: 'node server' } }), 'server.js': '' });
    expect(projectOf(await detect(extensionless)).entry).toBe('server.js');
  });

  it('falls back to conventional paths, TypeScript first in a TypeScript project', async () => {
    const dir = await makeProject('conventional', { 'package.json': pkg({ devDependencies: { typescript: '^5' } }), 'src/index.ts': '', 'index.js': '' });
    // Nothing runs it, so it is only offered: a question, never wired silently.
    const offered = await detect(dir);
    expect(offered).toMatchObject({ kind: 'choose', about: 'entry', unconfirmed: true, choices: [{ label: 'src/index.ts' }] });
    const npmDefault = await makeProject('npm-default', { 'package.json': pkg({}), 'server.js': '', 'index.js': '' });
    expect(projectOf(await detect(npmDefault)).evidence.map((e) => e.says)).toContain("server.js is what npm start runs when package.json has no start script (npm's default: node server.js)");
    const none = await makeProject('no-entry', { 'package.json': pkg({}) });
    const project = projectOf(await detect(none));
    expect(project.entry).toBeNull();
    expect(project.evidence).toContainEqual({ about: 'entry', says: 'package.json names no entry and no conventional entry file exists' });
  });

  it('takes the module system from .mts/.cts, and tsconfig module over package.json type for .ts', async () => {
    const cts = await makeProject('cts', { 'package.json': pkg({ type: 'module', main: 'src/index.cts' }), 'src/index.cts': '' });
    expect(projectOf(await detect(cts))).toMatchObject({ moduleSystem: 'cjs', typescript: true });
    const mts = await makeProject('mts', { 'package.json': pkg({ main: 'src/index.mts' }), 'src/index.mts': '' });
    expect(projectOf(await detect(mts)).moduleSystem).toBe('esm');
    const esnext = await makeProject('esnext', { 'package.json': pkg({ main: 'src/index.ts' }), 'tsconfig.json': '{"compilerOptions":{"module":"ESNext"}}', 'src/index.ts': '' });
    expect(projectOf(await detect(esnext)).moduleSystem).toBe('esm');
  });

  it('creates instrumentation in src/ for a Next.js app that lives there', async () => {
    const dir = await makeProject('next-src', { 'package.json': pkg({ dependencies: { next: '^15' } }), 'tsconfig.json': '{}', 'src/app/page.tsx': '' });
    expect(projectOf(await detect(dir))).toMatchObject({ framework: 'next', entry: 'src/instrumentation.ts', typescript: true });
  });

  it('reads a Nest entry from nest-cli.json', async () => {
    const dir = await makeProject('nest-custom', {
      'package.json': pkg({ dependencies: { '@nestjs/core': '^11' } }),
      'nest-cli.json': '{ "sourceRoot": "apps/api", "entryFile": "bootstrap" }',
      'apps/api/bootstrap.ts': '',
    });
    expect(projectOf(await detect(dir))).toMatchObject({ framework: 'nest', entry: 'apps/api/bootstrap.ts' });
  });
});

describe('Python entries and manifests', () => {
  it('finds Django settings by convention when manage.py does not name them', async () => {
    const dir = await makeProject('django-plain', { 'requirements.txt': 'Django==5.1\n', 'site_app/__init__.py': '', 'site_app/settings.py': '' });
    expect(projectOf(await detect(dir))).toMatchObject({ framework: 'django', entry: 'site_app/settings.py' });
  });

  it('reads DJANGO_SETTINGS_MODULE assigned through os.environ[...] in a src layout', async () => {
    const dir = await makeProject('django-src', {
      'pyproject.toml': '[project]\nname = "d"\nversion = "1"\ndependencies = ["django>=5"]\n',
      'manage.py': 'import os\nos.environ["DJANGO_SETTINGS_MODULE"] = "proj.settings"\n',
      'src/proj/__init__.py': '',
      'src/proj/settings.py': '',
    });
    expect(projectOf(await detect(dir)).entry).toBe('src/proj/settings.py');
  });

  it('reads [tool.fastapi] entrypoint', async () => {
    const dir = await makeProject('fastapi-entrypoint', {
      'pyproject.toml': '[project]\nname = "f"\nversion = "1"\ndependencies = ["fastapi[standard]>=0.115"]\n\n[tool.fastapi]\nentrypoint = "service.api:app"\n',
      'service/__init__.py': '',
      'service/api.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
      'main.py': '',
    });
    expect(projectOf(await detect(dir))).toMatchObject({ framework: 'fastapi', entry: 'service/api.py' });
  });

  it('prefers the module that creates the Flask app over a conventional name that does not', async () => {
    const dir = await makeProject('flask-wsgi', {
      'requirements.txt': 'Flask\n',
      'app.py': 'print("helper")\n',
      'wsgi.py': 'from flask import Flask\napplication = Flask(__name__)\n',
    });
    expect(projectOf(await detect(dir)).entry).toBe('wsgi.py');
  });

  it('resolves [tool.poetry.scripts] to the module file', async () => {
    const dir = await makeProject('poetry-scripts', {
      'pyproject.toml': '[tool.poetry]\nname = "t"\nversion = "1"\n\n[tool.poetry.dependencies]\npython = "^3.9"\n\n[tool.poetry.scripts]\ntool = "tool.main:run"\n',
      'src/tool/__init__.py': '',
      'src/tool/main.py': '',
    });
    expect(projectOf(await detect(dir))).toMatchObject({ packageManager: 'poetry', entry: 'src/tool/main.py' });
  });

  it('reads a requirements/ directory (the cookiecutter-django layout) and puts the SDK in its base', async () => {
    const dir = await makeProject('cookiecutter', {
      'requirements/base.txt': 'django==5.1\n',
      'requirements/local.txt': '-r base.txt\npytest\n',
      'requirements/production.txt': '-r base.txt\ngunicorn\n',
      'manage.py': 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")\n',
      'config/__init__.py': '',
      'config/settings/__init__.py': '',
      'config/settings/local.py': '',
    });
    const project = projectOf(await detect(dir));
    expect(project).toMatchObject({ runtime: 'python', framework: 'django', packageManager: 'pip', manifest: 'requirements/base.txt', entry: 'config/settings/local.py' });
  });

  it('follows -r includes in requirements files', async () => {
    const dir = await makeProject('reqs-include', {
      'requirements.txt': '-r requirements/base.txt\n',
      'requirements/base.txt': '--requirement=common.txt\n',
      'requirements/common.txt': 'Django>=5\n-r ../requirements.txt\n',
      'manage.py': "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'web.settings')\n",
      'web/settings.py': '',
    });
    const project = projectOf(await detect(dir));
    expect(project).toMatchObject({ framework: 'django', entry: 'web/settings.py', manifest: 'requirements.txt' });
    expect(project.evidence).toContainEqual({ about: 'framework', says: 'requirements/common.txt depends on django' });
  });

  it('takes requirements.txt as the manifest over requirements-dev.txt, and reads setup.cfg dependencies', async () => {
    const dir = await makeProject('reqs', { 'requirements-dev.txt': 'pytest\n', 'requirements.txt': '# app\n', 'setup.cfg': '[options]\ninstall_requires =\n    flask>=3\n    requests\n', 'app.py': 'from flask import Flask\napp = Flask(__name__)\n' });
    expect(projectOf(await detect(dir))).toMatchObject({ manifest: 'requirements.txt', framework: 'flask', packageManager: 'pip' });
  });
});

describe('manifests that do not parse', () => {
  it('still detects the project, falls back to conventions and says the manifest was ignored', async () => {
    const node = await makeProject('broken-json', { 'package.json': '{ "name": "x", "main": "app.js", }', 'server.js': '' });
    const nodeProject = projectOf(await detect(node));
    expect(nodeProject).toMatchObject({ runtime: 'node', entry: 'server.js' });
    expect(nodeProject.evidence).toContainEqual({ about: 'runtime', says: 'package.json is not a JSON object: its fields were ignored' });

    const python = await makeProject('broken-toml', { 'pyproject.toml': '[project\nname = "x"\n', 'requirements.txt': 'flask\n', 'app.py': '' });
    const pythonProject = projectOf(await detect(python));
    expect(pythonProject).toMatchObject({ runtime: 'python', framework: 'flask', manifest: 'requirements.txt' });
    expect(pythonProject.evidence).toContainEqual({ about: 'runtime', says: 'pyproject.toml is not valid TOML: its fields were ignored' });
  });
});

describe('Python interpreter', () => {
  const run = promisify(execFile);

  it("uses the project's .venv, made by the real venv module", async () => {
    const dir = await copyFixture('py-script-pip');
    await run('python3', ['-m', 'venv', '--without-pip', join(dir, '.venv')]);
    const project = projectOf(await detect(dir));
    expect(project.interpreter).toBe(join(dir, '.venv', 'bin', 'python'));
    const { stdout } = await run(project.interpreter!, ['-c', 'import sys; print(sys.prefix)']);
    expect(stdout.trim()).toBe(join(dir, '.venv'));
  });

  it('uses VIRTUAL_ENV when the project has no virtualenv, else python3 from PATH', async () => {
    const dir = await copyFixture('py-script-pip');
    const elsewhere = await makeProject('elsewhere', {});
    await run('python3', ['-m', 'venv', '--without-pip', join(elsewhere, 'env')]);
    const active = await findInterpreter(dir, { VIRTUAL_ENV: join(elsewhere, 'env'), PATH: '' });
    expect(active.value).toBe(join(elsewhere, 'env', 'bin', 'python'));
    const fromPath = await findInterpreter(dir, { PATH: join(elsewhere, 'env', 'bin') + ':/nonexistent' });
    expect(fromPath.value).toBe(join(elsewhere, 'env', 'bin', 'python3'));
    const none = await findInterpreter(dir, { PATH: '/nonexistent' });
    expect(none.value).toBeNull();
  });
});
