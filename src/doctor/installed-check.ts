/**
 * Check 3: the SDK is installed where the app will look for it: Node resolves it from the entry's
 * folder, Python imports it in the environment the app runs in (poetry's, pdm's, hatch's, the
 * uv workspace's, or the project's interpreter for pip).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { pythonInEnvironment, SDK_PACKAGES } from '../package-managers/commands.js';
import type { Project } from '../project.js';
import { version as bundledVersion } from '../version.js';
import { fail, pass, warn, type Check } from './check.js';

const NODE_SDK = SDK_PACKAGES.node.name;

type Installed = { version: string } | { missing: string };

/** Compares dotted numeric versions (pre-release suffixes ignored): negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.split(/[.+-]/).slice(0, 3).map((n) => Number.parseInt(n, 10) || 0);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

async function installedNodeSdk(project: Project, entry: string): Promise<Installed> {
  let resolved: string;
  try {
    resolved = createRequire(join(project.root, entry)).resolve(NODE_SDK);
  } catch {
    return { missing: `${NODE_SDK} cannot be resolved from ${dirname(entry)}/` };
  }
  // Walk up from the resolved file to the package's own package.json.
  for (let dir = dirname(resolved); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === NODE_SDK) return { version: manifest.version ?? 'unknown' };
    } catch {
      // no package.json at this level
    }
  }
  return { version: 'unknown' };
}

const PYTHON_VERSION_PROBE = 'import ez_pixel; print(getattr(ez_pixel, "__version__", "unknown"))';

async function installedPythonSdk(project: Project): Promise<Installed> {
  const run = pythonInEnvironment(project, ['-c', PYTHON_VERSION_PROBE]);
  const result = await execa(run.argv[0] as string, run.argv.slice(1), { cwd: project.root, env: run.env, reject: false, timeout: 60_000 });
  // The last line: `hatch run` and `pdm run` may print their own lines first.
  if (result.exitCode === 0) return { version: String(result.stdout).trim().split('\n').at(-1) ?? 'unknown' };
  const reason = String(result.stderr).trim().split('\n').at(-1) || `exit ${result.exitCode}`;
  return { missing: `ez_pixel does not import in the app's environment: ${run.display} says ${reason}` };
}

/** What puts the declared SDK into the environment: the project's own setup, else install. */
function setupHint(project: Project): string {
  const setup: Partial<Record<Project['packageManager'], string>> = {
    uv: 'uv sync', poetry: 'poetry install', pdm: 'pdm install', pipenv: 'pipenv install', hatch: 'hatch env prune (the next hatch run reinstalls)',
  };
  const own = setup[project.packageManager];
  return own ? `${own}, or npx ez-pixel install if the project does not declare the SDK` : 'npx ez-pixel install';
}

export async function checkInstalled(project: Project, entry: string): Promise<Check> {
  const installed = project.runtime === 'node' ? await installedNodeSdk(project, entry) : await installedPythonSdk(project);
  if ('missing' in installed) return fail('installed', installed.missing, setupHint(project));
  if (installed.version !== 'unknown' && compareVersions(installed.version, bundledVersion) < 0) {
    return warn('installed', `SDK ${installed.version} is installed; this CLI bundles ${bundledVersion}`, 'npx ez-pixel@latest install');
  }
  return pass('installed', `SDK ${installed.version} is installed and loads from the project`);
}
