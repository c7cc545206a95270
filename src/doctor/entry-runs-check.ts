/**
 * Check 6: the wired entry is what actually runs. An init in a file that nothing starts protects
 * nothing, so this looks for the entry among the ways the project is started: package.json's
 * scripts, `bin`, `main` and `exports`; manage.py/wsgi/asgi for Django; for other Python apps the
 * files each start command loads (start-loads.ts), console scripts and the servers' conventional
 * modules.
 */
import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { Project } from '../project.js';
import { pass, warn, type Check } from './check.js';
import type { DoctorContext } from './context.js';
import { readText } from '../read-text.js';
import { ProjectFiles } from '../detectors/project-files.js';
import { readPythonFacts } from '../detectors/python/facts.js';
import { filesStartLoads } from '../detectors/python/start-loads.js';
import type { StartCommand } from '../detectors/python/start-commands.js';

/** The ways a file may be named where it is started: itself, and its compiled twin (src/x.ts → dist/x.js). */
function namesOf(entry: string): string[] {
  const stem = entry.replace(/\.((c|m)?[jt]sx?|py)$/, '');
  const compiled = stem.replace(/^src\//, '');
  return [entry, stem, compiled, posix.basename(stem)].filter((name, i, all) => name && all.indexOf(name) === i);
}

function mentions(text: string, entry: string): boolean {
  return namesOf(entry).some((name) => new RegExp(`(^|[\\s/'"=:.])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\.[cm]?[jt]sx?|\\.py)?(\\s|$|['"])`).test(text));
}

async function nodeStarters(project: Project): Promise<string[]> {
  const text = await readText(join(project.root, 'package.json'));
  if (text === null) return [];
  let manifest: { scripts?: Record<string, string>; main?: string; bin?: unknown; exports?: unknown };
  try {
    manifest = JSON.parse(text) as typeof manifest;
  } catch {
    return []; // an unparseable package.json starts nothing we can name; the check then warns
  }
  const scripts = manifest.scripts ?? {};
  return [scripts.start, scripts.dev, scripts.serve, manifest.main, JSON.stringify(manifest.bin ?? ''), JSON.stringify(manifest.exports ?? '')]
    .filter((s): s is string => typeof s === 'string' && s !== '' && s !== '""');
}

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
  if (project.runtime === 'python') {
    const loading = await pythonStartersLoading(project, wiring.entry);
    if (loading.length > 0) return pass('entry-runs', `${wiring.entry} is what ${loading[0]} loads`);
  } else if ((await nodeStarters(project)).some((starter) => mentions(starter, wiring.entry))) {
    return pass('entry-runs', `${wiring.entry} is what the project starts`);
  }
  const fix = 'wire the file that really starts: npx ez-pixel install --entry <file>';
  if (project.runtime === 'python') {
    return warn('entry-runs', `no way the project starts (console scripts, flask --app or FLASK_APP, uvicorn, gunicorn, python -m, a Procfile, Dockerfile or README command) loads ${wiring.entry}`, fix);
  }
  return warn('entry-runs', `package.json (scripts.start, main, bin) does not name ${wiring.entry}`, fix);
}
