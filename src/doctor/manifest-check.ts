/** Check 2: the SDK is declared in the project's manifest (read as data by install's own reader). */
import { join } from 'node:path';
import { platformOf } from '../platforms/index.js';
import type { Project } from '../project.js';
import { fail, pass, type Check } from './check.js';
import { readText } from '../read-text.js';

export async function checkManifest(project: Project): Promise<Check> {
  const text = await readText(join(project.root, project.manifest));
  if (text === null) return fail('manifest', `${project.manifest} cannot be read`, 'npx ez-pixel install');
  const platform = platformOf(project);
  const sdk = platform.sdk.name;
  const unparseable = platform.manifestProblem(project.manifest, text);
  if (unparseable) return fail('manifest', `${project.manifest} does not parse: ${unparseable.message}`, unparseable.fix);
  return platform.declaresSdk(project.manifest, text)
    ? pass('manifest', `${sdk} is declared in ${project.manifest}`)
    : fail('manifest', `${sdk} is not declared in ${project.manifest}`, 'npx ez-pixel install');
}
