/** Where Python finds the SDK: `import ez_pixel` in the environment the app runs in (poetry's, pdm's, hatch's, the uv workspace's, or the project's interpreter for pip). */
import { execa } from 'execa';
import type { Project } from '../../../project.js';
import type { InstalledSdk } from '../../platform.js';
import { pythonInEnvironment } from '../environment.js';

const PYTHON_VERSION_PROBE = 'import ez_pixel; print(getattr(ez_pixel, "__version__", "unknown"))';

export async function installedPythonSdk(project: Project): Promise<InstalledSdk> {
  const run = pythonInEnvironment(project, ['-c', PYTHON_VERSION_PROBE]);
  const result = await execa(run.argv[0] as string, run.argv.slice(1), { cwd: project.root, env: run.env, reject: false, timeout: 60_000 });
  // The last line: `hatch run` and `pdm run` may print their own lines first.
  if (result.exitCode === 0) return { version: String(result.stdout).trim().split('\n').at(-1) ?? 'unknown' };
  const reason = String(result.stderr).trim().split('\n').at(-1) || `exit ${result.exitCode}`;
  return { missing: `ez_pixel does not import in the app's environment: ${run.display} says ${reason}`, fix: setupHint(project) };
}

/** What puts the declared SDK into the environment: the project's own setup, else install. */
function setupHint(project: Project): string {
  const setup: Partial<Record<Project['packageManager'], string>> = {
    uv: 'uv sync', poetry: 'poetry install', pdm: 'pdm install', pipenv: 'pipenv install', hatch: 'hatch env prune (the next hatch run reinstalls)',
  };
  const own = setup[project.packageManager];
  return own ? `${own}, or npx ez-pixel install if the project does not declare the SDK` : 'npx ez-pixel install';
}

