/**
 * Python's entry-runs check. Django: manage.py, wsgi and asgi load the settings. Other apps: the
 * files each start command loads (start-loads.ts), console scripts and the servers' conventional modules.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ProjectFiles } from '../../../detectors/project-files.js';
import { pass, warn, type Check } from '../../../doctor/check.js';
import type { DoctorContext } from '../../../doctor/context.js';
import type { Project } from '../../../project.js';
import { readPythonFacts } from '../detect/facts.js';
import type { StartCommand } from '../detect/start-commands.js';
import { filesStartLoads } from '../detect/start-loads.js';

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

export async function checkPythonEntryRuns(context: DoctorContext): Promise<Check> {
  const { project, wiring } = context;
  if (project.framework === 'django') {
    return existsSync(join(project.root, 'manage.py'))
      ? pass('entry-runs', `${wiring.entry} is loaded with the settings module by manage.py, wsgi and asgi`)
      : warn('entry-runs', `no manage.py loads ${wiring.entry}`, 'check DJANGO_SETTINGS_MODULE points at the wired settings');
  }
  const loading = await pythonStartersLoading(project, wiring.entry);
  if (loading.length > 0) return pass('entry-runs', `${wiring.entry} is what ${loading[0]} loads`);
  return warn(
    'entry-runs',
    `no way the project starts (console scripts, flask --app or FLASK_APP, uvicorn, gunicorn, python -m, a Procfile, Dockerfile or README command) loads ${wiring.entry}`,
    'wire the file that really starts: npx ez-pixel install --entry <file>',
  );
}
