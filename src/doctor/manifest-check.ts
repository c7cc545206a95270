/** Check 2: the SDK is declared in the project's manifest (read as data by install's own reader). */
import { join } from 'node:path';
import { SDK_PACKAGES } from '../package-managers/commands.js';
import { declaresSdk } from '../package-managers/declared.js';
import type { Project } from '../project.js';
import { fail, pass, type Check } from './check.js';
import { readText } from '../read-text.js';

export async function checkManifest(project: Project): Promise<Check> {
  const text = await readText(join(project.root, project.manifest));
  if (text === null) return fail('manifest', `${project.manifest} cannot be read`, 'npx ez-pixel install');
  const sdk = SDK_PACKAGES[project.runtime].name;
  const unparseable = project.runtime === 'node' ? jsonError(text) : null;
  if (unparseable) return fail('manifest', `${project.manifest} does not parse: ${unparseable}`, `fix the JSON syntax of ${project.manifest}`);
  return declaresSdk(project.runtime, project.manifest, text)
    ? pass('manifest', `${sdk} is declared in ${project.manifest}`)
    : fail('manifest', `${sdk} is not declared in ${project.manifest}`, 'npx ez-pixel install');
}

function jsonError(text: string): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
