import { quoteForDisplay } from '../../package-managers/commands.js';
import type { Project, PythonPackageManager } from '../../project.js';
import { pythonPackageManagers } from './package-managers.js';

/**
 * `python <args>` in the environment the app runs in: poetry's (its cache virtualenv or .venv),
 * pdm's, hatch's default environment, pipenv's, the uv project or workspace .venv, or for pip the
 * project's interpreter. Install's import check and doctor both use it, so they agree.
 */
export function pythonInEnvironment(project: Project, args: string[]): { argv: string[]; env: Record<string, string>; display: string } {
  const row = pythonPackageManagers[project.packageManager as PythonPackageManager];
  const argv = [...(row.runPython ?? ['{python}']), ...args].map((arg) => (arg === '{python}' ? (project.interpreter ?? 'python3') : arg));
  return { argv, env: row.env, display: argv.map(quoteForDisplay).join(' ') };
}

