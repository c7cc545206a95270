/**
 * How the project says it starts: `python worker.py`, `streamlit run app.py`, `flask --app pkg run`,
 * `uvicorn app.main:app`, found in a Procfile, a Dockerfile's CMD/ENTRYPOINT, the README's command
 * lines and the CI workflows. Detectors use them to pick the entry, and "Next steps" to show the
 * real command.
 */
import type { ProjectFiles } from '../project-files.js';

export interface StartCommand {
  tool: 'python' | 'streamlit' | 'flask' | 'uvicorn' | 'gunicorn' | 'fastapi';
  /** A file path (python, streamlit, fastapi) or a module/app spec (flask --app, uvicorn, gunicorn). */
  target: string;
  /** The whole command as written. */
  command: string;
  from: string;
}

const sources = ['Procfile', 'Dockerfile', 'Containerfile', 'README.md', 'README.rst', 'README', 'docker-compose.yml', 'compose.yaml'];

const patterns: [StartCommand['tool'], RegExp][] = [
  ['streamlit', /\bstreamlit\s+run\s+["']?([\w./-]+\.py)/],
  ['flask', /\bflask\s+(?:--app|-A)[=\s]+["']?([\w.:/-]+)["']?(?:\s+[\w-]+)*?\s+run\b/],
  ['uvicorn', /\buvicorn\s+(?:--?[\w-]+(?:[=\s][\w.:/-]+)?\s+)*([\w.]+:[\w]+)/],
  ['gunicorn', /\bgunicorn\s+(?:--?[\w-]+(?:[=\s][\w.:/-]+)?\s+)*["']?([\w.]+:[\w()]+)/],
  ['fastapi', /\bfastapi\s+(?:run|dev)\s+["']?([\w./-]+\.py)/],
  ['python', /\bpython[\d.]*\s+(?:-u\s+)?["']?((?![\w-]+\s)[\w./-]+\.py)\b/],
];

export async function findStartCommands(files: ProjectFiles): Promise<StartCommand[]> {
  const found: StartCommand[] = [];
  for (const from of sources) {
    const text = await files.text(from);
    if (text === null) continue;
    for (const raw of text.split(/\r?\n/)) {
      // A Dockerfile's exec form, CMD ["python", "app.py"], reads as the command it runs.
      const line = raw.replace(/^\s*(CMD|ENTRYPOINT)\s+\[(.*)\]\s*$/, (_, _kw, list: string) => list.replace(/["']\s*,\s*["']/g, ' ').replace(/["']/g, ''));
      for (const [tool, pattern] of patterns) {
        const target = pattern.exec(line)?.[1];
        if (target) {
          const command = (from === 'Procfile' ? line.replace(/^[\w-]+:\s*/, '') : line).trim();
          found.push({ tool, target: target.replace(/^\.\//, ''), command, from });
          break;
        }
      }
    }
  }
  return found;
}
