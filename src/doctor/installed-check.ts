/**
 * Check 3: the SDK is installed where the app will look for it: Node resolves it from the entry's
 * folder, Python imports it with the project's own interpreter.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { SDK_PACKAGES } from '../package-managers/commands.js';
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
  const interpreter = project.interpreter ?? 'python3';
  const result = await execa(interpreter, ['-c', PYTHON_VERSION_PROBE], { cwd: project.root, reject: false, timeout: 15_000 });
  if (result.exitCode === 0) return { version: String(result.stdout).trim() };
  const reason = String(result.stderr).trim().split('\n').at(-1) || `exit ${result.exitCode}`;
  return { missing: `${interpreter} cannot import ez_pixel (${reason})` };
}

export async function checkInstalled(project: Project, entry: string): Promise<Check> {
  const installed = project.runtime === 'node' ? await installedNodeSdk(project, entry) : await installedPythonSdk(project);
  if ('missing' in installed) return fail('installed', installed.missing, 'npx ez-pixel install');
  if (installed.version !== 'unknown' && compareVersions(installed.version, bundledVersion) < 0) {
    return warn('installed', `SDK ${installed.version} is installed; this CLI bundles ${bundledVersion}`, 'npx ez-pixel@latest install');
  }
  return pass('installed', `SDK ${installed.version} is installed and loads from the project`);
}
