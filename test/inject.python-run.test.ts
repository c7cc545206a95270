/**
 * The wired Python entry really runs, and the init runs before any other application code, for each
 * way such an entry is loaded: a script, a Django settings module (manage.py / wsgi), a package module
 * (uvicorn app.main:app, python -m) and a module in a folder without __init__.py.
 *
 * `ez_pixel` here is a tiny recording package (on PYTHONPATH) whose init_pixel logs its call, and
 * `appcode` is "other application code" that logs when imported: the log proves the order. The last
 * test uses the real SDK instead: an import-time crash must reach a real ingest.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { addInit } from '../src/inject/index.js';
import { initWiringFor } from '../src/templates/index.js';
import { fileURLToPath } from 'node:url';
import { pythonProject, settings, tempProject } from './fixtures/inject/projects.js';

const repo = fileURLToPath(new URL('..', import.meta.url));

const recorder = {
  'site/ez_pixel/__init__.py': 'LOG = []\n\n\ndef init_pixel(project_key, ingest_url, **kwargs):\n    LOG.append(["init", project_key, ingest_url])\n',
  'site/appcode.py': 'import ez_pixel\n\nez_pixel.LOG.append(["app"])\n',
};
const entryBody = '"""The app."""\nfrom __future__ import annotations\n\nimport json\nimport appcode\nimport ez_pixel\n\nprint(json.dumps(ez_pixel.LOG))\n';

/** Writes the project, wires `entry`, writes the init file, and returns a runner. */
async function wiredProject(entry: string, extra: Record<string, string> = {}, body = entryBody) {
  const root = tempProject({ ...recorder, [entry]: body, ...extra });
  const project = pythonProject({ root, entry, framework: 'fastapi' });
  const wiring = initWiringFor(project, settings);
  const injection = await addInit(project, entry, readFileSync(join(root, entry), 'utf8'), wiring);
  if (injection.kind !== 'insert') throw new Error(JSON.stringify(injection));
  writeFileSync(join(root, entry), injection.after);
  for (const file of wiring.files) {
    mkdirSync(dirname(join(root, file.path)), { recursive: true });
    writeFileSync(join(root, file.path), file.content);
  }
  const run = async (args: string[], env: Record<string, string> = {}, python = 'python3') => {
    const result = await execa(python, args, {
      cwd: root,
      env: { PYTHONPATH: join(root, 'site'), PYTHONDONTWRITEBYTECODE: '1', EZ_PIXEL_PROJECT_KEY: '', EZ_PIXEL_INGEST_URL: '', ...env },
      extendEnv: true,
      reject: false,
    });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    return JSON.parse(result.stdout.trim().split('\n').pop() ?? 'null') as unknown;
  };
  return { root, wiring, run };
}

const initFirst = [['init', settings.projectKey, settings.ingestUrl], ['app']];

describe('a wired Python entry runs with the init first', () => {
  it('script at the root: python app.py and python /absolute/app.py', async () => {
    const { root, wiring, run } = await wiredProject('app.py');
    expect(wiring.importStatement).toBe('import ez_pixel_init  # ez-pixel  # isort: skip  # noqa: F401');
    expect(await run(['app.py'])).toEqual(initFirst);
    expect(await run([join(root, 'app.py')])).toEqual(initFirst);
  });

  it('the environment overrides the key and URL written into the init', async () => {
    const { run } = await wiredProject('app.py');
    const env = { EZ_PIXEL_PROJECT_KEY: 'pk_test_fromenv', EZ_PIXEL_INGEST_URL: 'http://127.0.0.1:9/ingest' };
    expect(await run(['app.py'], env)).toEqual([['init', 'pk_test_fromenv', 'http://127.0.0.1:9/ingest'], ['app']]);
  });

  it('Django settings in a package: manage.py and the wsgi module both load it', async () => {
    const { wiring, run } = await wiredProject('mysite/settings.py', {
      'mysite/__init__.py': '',
      'manage.py': 'import importlib, os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\nimportlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])\n',
      'mysite/wsgi.py': 'import importlib\nimportlib.import_module("mysite.settings")\n',
    });
    expect(wiring.initFile).toBe('mysite/ez_pixel_init.py');
    expect(wiring.importStatement).toMatch(/^__import__\(.*__package__.*# ez-pixel$/);
    expect(await run(['manage.py'])).toEqual(initFirst);
    expect(await run(['-c', 'import mysite.wsgi'])).toEqual(initFirst);
  });

  it('a package module: uvicorn app.main:app, python -m app.main, and cd app && uvicorn main:app', async () => {
    const { run } = await wiredProject('app/main.py', { 'app/__init__.py': '' });
    expect(await run(['-c', 'import importlib; importlib.import_module("app.main")'])).toEqual(initFirst);
    expect(await run(['-m', 'app.main'])).toEqual(initFirst);
    // Run from inside the package folder, the module is top-level `main`: a relative import would fail here.
    expect(await run(['-c', 'import sys; sys.path.insert(0, "app"); import main'])).toEqual(initFirst);
  });

  it("a package's __init__.py: python -m pkg and flask --app pkg load it as the package", async () => {
    const { wiring, run } = await wiredProject('pkg/__init__.py', { 'pkg/__main__.py': '' });
    expect(wiring.importStatement).toBe('from . import ez_pixel_init  # ez-pixel  # isort: skip  # noqa: F401');
    expect(await run(['-m', 'pkg'])).toEqual(initFirst);
    expect(await run(['-c', 'import importlib; importlib.import_module("pkg")'])).toEqual(initFirst);
  });

  it('a folder without __init__.py: as app.main, as a script, and as top-level main (fastapi run)', async () => {
    const { wiring, run } = await wiredProject('app/main.py');
    expect(wiring.initFile).toBe('app/ez_pixel_init.py');
    expect(await run(['-c', 'import importlib; importlib.import_module("app.main")'])).toEqual(initFirst);
    expect(await run(['app/main.py'])).toEqual(initFirst);
    expect(await run(['-c', 'import sys; sys.path.insert(0, "app"); import main'])).toEqual(initFirst);
  });

  it('real Django (from .venv-test): manage.py and the WSGI application load the wired settings first', async () => {
    const python = join(repo, '.venv-test/bin/python');
    const settingsModule = [
      '"""Django settings for mysite."""',
      'import appcode',
      '',
      'SECRET_KEY = "test-only"',
      'DEBUG = True',
      'ALLOWED_HOSTS = ["*"]',
      'INSTALLED_APPS = []',
      'ROOT_URLCONF = "mysite.urls"',
      'DATABASES = {}',
      '',
    ].join('\n');
    const { run } = await wiredProject(
      'mysite/settings.py',
      {
        'mysite/__init__.py': '',
        'mysite/urls.py': 'urlpatterns = []\n',
        'mysite/wsgi.py':
          'import os\n\nfrom django.core.wsgi import get_wsgi_application\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\napplication = get_wsgi_application()\n',
        'manage.py':
          '#!/usr/bin/env python\nimport os\nimport sys\n\nif __name__ == "__main__":\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n' +
          '    from django.core.management import execute_from_command_line\n\n    execute_from_command_line(sys.argv)\n',
      },
      settingsModule,
    );
    const printLog = 'import json, ez_pixel; print(json.dumps(ez_pixel.LOG))';
    expect(await run(['manage.py', 'shell', '-c', printLog], {}, python)).toEqual(initFirst);
    expect(await run(['-c', `from mysite.wsgi import application; ${printLog}`], {}, python)).toEqual(initFirst);
  });
});

describe('with the real Python SDK (runtimes/python) and a real ingest on 127.0.0.1', () => {
  it('an exception raised while the app imports reaches the ingest only when the entry is wired', async () => {
    const received: { key: string | undefined; body: string }[] = [];
    const ingest = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ key: request.headers['x-pixel-key'] as string | undefined, body: Buffer.concat(chunks).toString('utf8') });
        response.writeHead(202, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => ingest.listen(0, '127.0.0.1', resolve));
    try {
      const ingestUrl = `http://127.0.0.1:${(ingest.address() as AddressInfo).port}/ingest`;
      const source = '#!/usr/bin/env python3\n"""Service."""\nfrom __future__ import annotations\n\nimport failing_module\n';
      const root = tempProject({ 'app.py': source, 'failing_module.py': 'raise RuntimeError("broken while importing")\n' });
      const env = { PYTHONPATH: join(repo, 'runtimes/python'), EZ_PIXEL_CACHE_DIR: join(root, '.cache'), EZ_PIXEL_PROJECT_KEY: '', EZ_PIXEL_INGEST_URL: '' };
      const runApp = () => execa('python3', ['app.py'], { cwd: root, env, reject: false });

      const unwired = await runApp();
      expect(unwired.stderr).toContain('broken while importing');
      expect(received).toEqual([]);

      const project = pythonProject({ root, entry: 'app.py' });
      const wiring = initWiringFor(project, { projectKey: 'pk_test_pyrun', ingestUrl });
      const injection = await addInit(project, 'app.py', source, wiring);
      if (injection.kind !== 'insert') throw new Error(JSON.stringify(injection));
      writeFileSync(join(root, 'app.py'), injection.after);
      for (const file of wiring.files) writeFileSync(join(root, file.path), file.content);

      const wired = await runApp();
      expect(wired.exitCode).not.toBe(0);
      expect(wired.stderr).toContain('broken while importing');
      expect(received.map((event) => event.key)).toEqual(['pk_test_pyrun']);
      expect(received[0]?.body).toContain('broken while importing');
    } finally {
      await new Promise<void>((resolve) => ingest.close(() => resolve()));
    }
  });
});
