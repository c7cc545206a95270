/**
 * Whether a Python manifest already declares the SDK, read as data (TOML for pyproject.toml and
 * Pipfile, requirement lines for requirements.txt, install_requires for setup.py/setup.cfg).
 */
import { parse as parseToml } from 'smol-toml';
import { pythonSdk } from '../sdk.js';

const PYTHON_SDK = pythonSdk.name;

/** PEP 503 normalisation: ez_pixel, EZ.Pixel and ez-pixel are one name. */
const normalise = (name: string): string => name.toLowerCase().replace(/[-_.]+/g, '-');

/** The project name a PEP 508 requirement or a requirements.txt line names (a wheel path counts too). */
function requirementName(requirement: string): string | null {
  const text = requirement.trim();
  const wheel = /(?:^|\/)([A-Za-z0-9_.]+)-[^/\s]*\.whl\b/.exec(text);
  if (wheel) return normalise(wheel[1] as string);
  const name = /^([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(text);
  return name ? normalise(name[1] as string) : null;
}

type Table = Record<string, unknown>;
const table = (value: unknown): Table => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Table) : {});
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

function pythonNamesIn(path: string, text: string): string[] {
  // setup.py / setup.cfg: a quoted or listed requirement in install_requires.
  if (/(^|\/)setup\.(py|cfg)$/.test(path)) return [...text.matchAll(/^\s*["']?([A-Za-z0-9][A-Za-z0-9._-]*)/gm)].map((m) => normalise(m[1] as string));
  if (!path.endsWith('.toml') && !path.endsWith('Pipfile')) {
    return text.split(/\r?\n/).filter((line) => !/^\s*(#|-)/.test(line)).map(requirementName).filter((n): n is string => n !== null);
  }
  let data: Table;
  try {
    data = parseToml(text) as Table;
  } catch {
    return [];
  }
  if (path.endsWith('Pipfile')) return [...Object.keys(table(data.packages)), ...Object.keys(table(data['dev-packages']))].map(normalise);
  const project = table(data.project);
  const tool = table(data.tool);
  const requirements = [
    ...strings(project.dependencies),
    ...Object.values(table(project['optional-dependencies'])).flatMap(strings),
    ...Object.values(table(data['dependency-groups'])).flatMap(strings),
    ...Object.values(table(table(tool.pdm)['dev-dependencies'])).flatMap(strings),
  ];
  const poetry = table(tool.poetry);
  const poetryNames = [
    ...Object.keys(table(poetry.dependencies)),
    ...Object.keys(table(poetry['dev-dependencies'])),
    ...Object.values(table(poetry.group)).flatMap((group) => Object.keys(table(table(group).dependencies))),
  ];
  return [...requirements.map(requirementName).filter((n): n is string => n !== null), ...poetryNames.map(normalise)];
}

export function pythonDeclaresSdk(manifestPath: string, text: string): boolean {
  return pythonNamesIn(manifestPath, text).includes(PYTHON_SDK);
}
