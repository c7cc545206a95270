/** Check 2: the SDK is declared in the project's manifest. */
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import type { Project } from '../project.js';
import { fail, pass, type Check } from './check.js';
import { readText } from './context.js';

export const NODE_SDK = '@ez-pixel/node';
export const PYTHON_SDK = 'ez-pixel';

/** PEP 503 name normalisation: `EZ_Pixel` and `ez.pixel` are both `ez-pixel`. */
const normalise = (name: string): string => name.toLowerCase().replace(/[-_.]+/g, '-');

/** Whether one PEP 508 requirement (or a requirements.txt line, or a wheel path) names ez-pixel. */
export function namesPythonSdk(requirement: string): boolean {
  const text = requirement.trim();
  if (/(^|[/\\])ez_pixel-[^/\\]*\.whl\b/i.test(text)) return true;
  const name = /^([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(text)?.[1];
  return name !== undefined && normalise(name) === PYTHON_SDK;
}

type Table = Record<string, unknown>;
const table = (value: unknown): Table => (value && typeof value === 'object' ? (value as Table) : {});

function declaredInPython(manifest: string, text: string): boolean {
  if (manifest.endsWith('.txt')) return text.split(/\r?\n/).some((line) => !line.startsWith('#') && namesPythonSdk(line));
  const doc = parseToml(text) as Table;
  if (manifest.endsWith('Pipfile')) {
    return [...Object.keys(table(doc.packages)), ...Object.keys(table(doc['dev-packages']))].some(namesPythonSdk);
  }
  const project = table(doc.project);
  const poetry = table(table(doc.tool).poetry);
  const requirements = Array.isArray(project.dependencies) ? project.dependencies.map(String) : [];
  return requirements.some(namesPythonSdk) || Object.keys(table(poetry.dependencies)).some(namesPythonSdk);
}

export async function checkManifest(project: Project): Promise<Check> {
  const text = await readText(join(project.root, project.manifest));
  if (text === null) return fail('manifest', `${project.manifest} cannot be read`, 'npx ez-pixel install');
  const sdk = project.runtime === 'node' ? NODE_SDK : PYTHON_SDK;
  let declared: boolean;
  try {
    declared =
      project.runtime === 'node'
        ? [table(JSON.parse(text)).dependencies, table(JSON.parse(text)).devDependencies].some((deps) => sdk in table(deps))
        : declaredInPython(project.manifest, text);
  } catch (error) {
    return fail('manifest', `${project.manifest} does not parse: ${(error as Error).message}`, `fix the syntax of ${project.manifest}`);
  }
  return declared
    ? pass('manifest', `${sdk} is declared in ${project.manifest}`)
    : fail('manifest', `${sdk} is not declared in ${project.manifest}`, 'npx ez-pixel install');
}
