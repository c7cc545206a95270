/**
 * Check 6: the wired entry is what actually runs. An init in a file that nothing starts protects
 * nothing, so this looks for the entry among the ways the project is started: package.json's
 * scripts, `bin`, `main` and `exports`; manage.py/wsgi/asgi for Django; `[project.scripts]`.
 */
import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { Project } from '../project.js';
import { pass, warn, type Check } from './check.js';
import type { DoctorContext } from './context.js';
import { readText } from '../read-text.js';

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

async function pythonStarters(project: Project): Promise<string[]> {
  // Servers (flask run, uvicorn, fastapi run, gunicorn) find these conventional modules themselves.
  const conventional = ['manage.py', 'wsgi.py', 'asgi.py', 'main.py', 'app.py', '__main__.py', 'app/main.py', 'app/__init__.py'];
  const starters = conventional.filter((f) => existsSync(join(project.root, f)));
  const pyproject = await readText(join(project.root, 'pyproject.toml'));
  if (pyproject) starters.push(...(pyproject.match(/^\s*[\w.-]+\s*=\s*"[\w.]+:[\w.]+"/gm) ?? []).map((line) => line.split('"')[1]?.split(':')[0]?.replace(/\./g, '/') ?? ''));
  return starters;
}

export async function checkEntryRuns(context: DoctorContext): Promise<Check> {
  const { project, wiring } = context;
  if (project.framework === 'next') {
    return pass('entry-runs', `Next.js loads ${wiring.entry} itself at start-up`);
  }
  if (project.framework === 'django') {
    return existsSync(join(project.root, 'manage.py'))
      ? pass('entry-runs', `${wiring.entry} is the settings module that manage.py, wsgi and asgi load`)
      : warn('entry-runs', `no manage.py loads ${wiring.entry}`, 'check DJANGO_SETTINGS_MODULE points at the wired settings');
  }
  const starters = project.runtime === 'node' ? await nodeStarters(project) : await pythonStarters(project);
  const started = starters.some((starter) => mentions(starter, wiring.entry));
  if (started) return pass('entry-runs', `${wiring.entry} is what the project starts`);
  const hint = project.runtime === 'node' ? 'package.json (scripts.start, main, bin)' : 'the project (manage.py, wsgi/asgi, [project.scripts])';
  return warn('entry-runs', `${hint} does not name ${wiring.entry}`, 'wire the file that really starts: npx ez-pixel install --entry <file>');
}
