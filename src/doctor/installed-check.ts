/**
 * Check 3: the SDK is installed where the app will look for it (each platform's installedSdk
 * says how it finds it), and is not older than the one this CLI bundles.
 */
import { platformOf } from '../platforms/index.js';
import type { Project } from '../project.js';
import { version as bundledVersion } from '../version.js';
import { fail, pass, warn, type Check } from './check.js';

/** Compares dotted numeric versions (pre-release suffixes ignored): negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.split(/[.+-]/).slice(0, 3).map((n) => Number.parseInt(n, 10) || 0);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

export async function checkInstalled(project: Project, entry: string): Promise<Check> {
  const installed = await platformOf(project).installedSdk(project, entry);
  if ('missing' in installed) return fail('installed', installed.missing, installed.fix);
  if (installed.version !== 'unknown' && compareVersions(installed.version, bundledVersion) < 0) {
    return warn('installed', `SDK ${installed.version} is installed; this CLI bundles ${bundledVersion}`, 'npx ez-pixel@latest install');
  }
  return pass('installed', `SDK ${installed.version} is installed and loads from the project`);
}
