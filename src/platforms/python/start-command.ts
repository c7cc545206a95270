/**
 * How a wired Python app really starts, for "Next steps": `python manage.py runserver`,
 * `flask --app flaskr run`, `uvicorn app.main:app`, the console script, else `python <entry>`,
 * each run the way the package manager runs things (`poetry run …`, `.venv/bin/…`).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ProjectFiles } from '../../detectors/project-files.js';
import { readPythonFacts } from './detect/facts.js';
import { filesStartLoads } from './detect/start-loads.js';
import type { Project } from '../../project.js';

const runners: Partial<Record<Project['packageManager'], string>> = {
  uv: 'uv run ', poetry: 'poetry run ', pdm: 'pdm run ', hatch: 'hatch run ', pipenv: 'pipenv run ',
};

/** `app/main.py` → `app.main`, `flaskr/__init__.py` → `flaskr`, with a src/ layout's prefix dropped. */
function moduleOf(entry: string): string {
  return entry.replace(/^src\//, '').replace(/(\/__init__)?\.py$/, '').split('/').join('.');
}

export async function pythonStartCommand(project: Project): Promise<string> {
  const entry = project.entry ?? 'your_app.py';
  const venvBin = ['.venv', 'venv'].find((dir) => existsSync(join(project.root, dir, 'bin', 'python')));
  const run = runners[project.packageManager] ?? (venvBin ? `${venvBin}/bin/` : '');
  const files = new ProjectFiles(project.root);
  const facts = await readPythonFacts(files);
  for (const start of facts.starts) if ((await filesStartLoads(files, start)).includes(entry)) return start.command;
  // A server command names a module:attribute the entry may only feed (`gunicorn wsgi:app`).
  const server = facts.starts.find((start) => start.tool !== 'python' && start.tool !== 'module');
  if (server) return server.command;
  switch (project.framework) {
    case 'django':
      return `${run}python manage.py runserver`;
    case 'flask':
      return `${run}flask --app ${moduleOf(entry)} run`;
    case 'fastapi':
    case 'starlette':
      return `${run}uvicorn ${moduleOf(entry)}:app`;
    case 'streamlit':
      return `${run}streamlit run ${entry}`;
    default: {
      const script = facts.scripts.find((candidate) => candidate.target.split(':')[0] === moduleOf(entry));
      return script ? `${run}${script.name}` : `${run}python ${entry}`;
    }
  }
}
