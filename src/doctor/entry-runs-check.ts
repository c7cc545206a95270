/**
 * Check 6: the wired entry is what actually runs. An init in a file that nothing starts protects
 * nothing. Node: the entry must be on the start path (start-path.ts follows the imports from what
 * package.json starts), else the check fails. Django: manage.py, wsgi and asgi load the settings.
 * Other Python apps: the files each start command loads (start-loads.ts), console scripts and the
 * servers' conventional modules.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Project } from '../project.js';
import { fail, pass, warn, type Check } from './check.js';
import type { DoctorContext } from './context.js';
import { ProjectFiles } from '../detectors/project-files.js';
import { readPythonFacts } from '../platforms/python/detect/facts.js';
import { filesStartLoads } from '../platforms/python/detect/start-loads.js';
import type { StartCommand } from '../platforms/python/detect/start-commands.js';
import { findStartPath } from '../platforms/node/doctor/start-path.js';

/** The Python ways to start that load the entry, as `what (where it is written)`. */
async function pythonStartersLoading(project: Project, entry: string): Promise<string[]> {
  const files = new ProjectFiles(project.root);
  const facts = await readPythonFacts(files);
  const fromEnvironment: StartCommand[] = process.env.FLASK_APP
    ? [{ tool: 'flask', target: process.env.FLASK_APP, command: `FLASK_APP=${process.env.FLASK_APP} flask run`, from: 'the environment' }]
    : [];
  const scripts: StartCommand[] = facts.scripts.map((script) => ({ tool: 'module', target: script.target, command: script.name, from: script.from }));
  const loading: string[] = [];
  for (const start of [...facts.starts, ...fromEnvironment, ...scripts]) {
    if ((await filesStartLoads(files, start)).includes(entry)) loading.push(`\`${start.command}\` (${start.from})`);
  }
  // Servers (flask run, uvicorn, fastapi run, gunicorn) find these conventional modules themselves.
  const conventional = ['manage.py', 'wsgi.py', 'asgi.py', 'main.py', 'app.py', '__main__.py', 'app/main.py', 'app/__init__.py'];
  if (conventional.includes(entry)) loading.push(`the servers' conventional ${entry}`);
  return loading;
}

export async function checkEntryRuns(context: DoctorContext): Promise<Check> {
  const { project, wiring } = context;
  if (project.framework === 'next') {
    return pass('entry-runs', `Next.js loads ${wiring.entry} itself at start-up`);
  }
  if (project.framework === 'django') {
    return existsSync(join(project.root, 'manage.py'))
      ? pass('entry-runs', `${wiring.entry} is loaded with the settings module by manage.py, wsgi and asgi`)
      : warn('entry-runs', `no manage.py loads ${wiring.entry}`, 'check DJANGO_SETTINGS_MODULE points at the wired settings');
  }
  if (project.runtime === 'node') return checkNodeStartPath(project.root, wiring.entry);
  const loading = await pythonStartersLoading(project, wiring.entry);
  if (loading.length > 0) return pass('entry-runs', `${wiring.entry} is what ${loading[0]} loads`);
  return warn(
    'entry-runs',
    `no way the project starts (console scripts, flask --app or FLASK_APP, uvicorn, gunicorn, python -m, a Procfile, Dockerfile or README command) loads ${wiring.entry}`,
    'wire the file that really starts: npx ez-pixel install --entry <file>',
  );
}

/** An init in a file the start path never loads reports nothing: that is a failure, not a warning. */
async function checkNodeStartPath(root: string, entry: string): Promise<Check> {
  const path = await findStartPath(root, entry);
  const rewire = (file: string) => `make ${file} load ${entry}, or wire the file that starts: npx ez-pixel uninstall && npx ez-pixel install --entry ${file}`;
  switch (path.kind) {
    case 'on': {
      const chain = path.chain.length > 1 || path.chain[0] !== path.starter.path ? ` (${path.chain.join(' loads ')})` : '';
      return pass('entry-runs', `${entry} is on the start path: ${path.starter.via}${chain}`);
    }
    case 'no-starter':
      return warn('entry-runs', `package.json starts no file (no script runs one, no bin, main or exports), so nothing is known to run ${entry}`, `add a start script that runs ${entry} (or the file that loads it)`);
    case 'off': {
      const named = path.starters.slice(0, 3).map((starter) => starter.via).join('; ');
      const message = `${named}: none of these loads ${entry}, so its init never runs`;
      if (path.certain) return fail('entry-runs', message, rewire(path.startFile ?? path.starters[0]!.path));
      return warn('entry-runs', `${message}, as far as doctor can follow (${path.doubts.join('; ')})`, rewire(path.startFile ?? path.starters[0]!.path));
    }
  }
}
