/**
 * How the project says it starts: `python worker.py`, `python -m pkg`, `streamlit run app.py`,
 * `flask --app pkg run` (or FLASK_APP, also from .flaskenv), `uvicorn app.main:app`, found in a
 * Procfile, a Dockerfile's CMD/ENTRYPOINT, the README's command lines, scripts/run and the CI workflows.
 * Detectors use them to pick the entry, doctor to see the entry runs, and "Next steps" to show the
 * real command.
 */
import { moduleFile } from './modules.js';
import type { ProjectFiles } from '../../../detectors/project-files.js';

export interface StartCommand {
  tool: 'python' | 'module' | 'streamlit' | 'flask' | 'uvicorn' | 'gunicorn' | 'fastapi';
  /** A file path (python, streamlit, fastapi), a module (python -m) or a module/app spec (flask --app, uvicorn, gunicorn). */
  target: string;
  /** The whole command as written. */
  command: string;
  from: string;
}

// scripts/run, scripts/server: the "scripts to rule them all" convention (found on encode/starlette-example).
const sources = ['Procfile', 'Dockerfile', 'Containerfile', 'README.md', 'README.rst', 'README', 'docker-compose.yml', 'compose.yaml', '.flaskenv', 'scripts/run', 'scripts/server', 'scripts/start'];
/**
 * Files read for `streamlit run` only: task runners and package scripts also name `python setup.py`
 * or `python -m pytest`, which are no start commands, while `streamlit run` always starts the app.
 */
const streamlitSources = ['Makefile', 'justfile', 'package.json', 'pyproject.toml', '.devcontainer/devcontainer.json', 'start.sh', 'run.sh', 'entrypoint.sh'];

const patterns: [StartCommand['tool'], RegExp][] = [
  ['streamlit', /\bstreamlit\s+run\s+["']?([\w./-]+\.py)/],
  ['flask', /\bflask\s+(?:--app|-A)[=\s]+["']?([\w.:/()-]+)["']?(?:\s+[\w-]+)*?\s+run\b/],
  ['uvicorn', /\buvicorn\s+(?:--?[\w-]+(?:[=\s][\w.:/-]+)?\s+)*([\w.]+:[\w]+)/],
  // The variable is optional: `gunicorn mysite.wsgi` serves its `application`.
  ['gunicorn', /\bgunicorn\s+(?:--?[\w-]+(?:[=\s][\w.:/-]+)?\s+)*["']?([\w.]+(?::[\w()]+)?)["']?(?:\s|$)/],
  ['fastapi', /\bfastapi\s+(?:run|dev)\s+["']?([\w./-]+\.py)/],
  ['python', /\bpython[\d.]*\s+(?:-u\s+)?["']?((?![\w-]+\s)[\w./-]+\.py)\b/],
  // `flask run` with the app named in the environment: `FLASK_APP=pkg flask run`, `export FLASK_APP=pkg`, .flaskenv.
  ['flask', /\bFLASK_APP\s*=\s*["']?([\w.:/-]+)/],
  // Only a module of the project's own counts (not `python -m pip`, `venv` or `pytest`): see findStartCommands.
  ['module', /\bpython[\d.]*\s+(?:-u\s+)?-m\s+([\w.]+)/],
];

export async function findStartCommands(files: ProjectFiles): Promise<StartCommand[]> {
  const found: StartCommand[] = [];
  const streamlitOnly = patterns.filter(([tool]) => tool === 'streamlit');
  for (const from of [...sources, ...streamlitSources]) {
    const text = await files.text(from);
    if (text === null) continue;
    for (const raw of text.split(/\r?\n/)) {
      // A Dockerfile's exec form, CMD ["python", "app.py"], reads as the command it runs.
      const line = raw.replace(/^\s*(CMD|ENTRYPOINT)\s+\[(.*)\]\s*$/, (_, _kw, list: string) => list.replace(/["']\s*,\s*["']/g, ' ').replace(/["']/g, ''));
      const own = sources.includes(from);
      for (const [tool, pattern] of own ? patterns : streamlitOnly) {
        const match = pattern.exec(line);
        const target = match?.[1];
        if (!match || !target || (tool === 'module' && !(await moduleFile(files, target)))) continue;
        // A script table's line ({ "start": "streamlit run app.py" },) reads as its command alone.
        const said = own ? line : (line.slice(match.index).split(/["'`]/)[0] as string);
        const written = (from === 'Procfile' ? said.replace(/^[\w-]+:\s*/, '') : said).trim();
        const command = tool === 'flask' && !/\bflask\b.*\brun\b/.test(written) ? `flask --app ${target} run` : written;
        found.push({ tool, target: target.replace(/^\.\//, ''), command, from });
        break;
      }
    }
  }
  return found;
}
