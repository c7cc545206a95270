/**
 * What the Python detectors read once and share: pyproject.toml, Pipfile, requirements*.txt,
 * setup.cfg and setup.py, reduced to the dependency names (and where each is declared) and the
 * console scripts.
 */
import { posix } from 'node:path';
import type { Evidence } from '../../../project.js';
import { asObject, asString, type JsonObject, type ProjectFiles } from '../../../detectors/project-files.js';
import { findRequirementsFiles } from './requirements-files.js';
import { findStartCommands, type StartCommand } from './start-commands.js';

export interface ConsoleScript {
  name: string;
  /** `module.path:function` as declared. */
  target: string;
  /** Where it is declared, e.g. `[project.scripts]`. */
  from: string;
}

export interface PythonFacts {
  files: ProjectFiles;
  pyproject: JsonObject | null;
  pipfile: JsonObject | null;
  /** requirements*.txt and requirements/*.txt, the one the SDK belongs in first. */
  requirementsFiles: string[];
  /** Normalised dependency name → the file that declares it. */
  dependencies: Map<string, string>;
  scripts: ConsoleScript[];
  /** How the Procfile, Dockerfile and README start the app. */
  starts: StartCommand[];
  /** Manifests that exist but do not parse: detection goes on without them, and says so. */
  unreadable: Evidence[];
}

export const pythonManifests = ['pyproject.toml', 'Pipfile', 'setup.py', 'setup.cfg'];

export async function readPythonFacts(files: ProjectFiles): Promise<PythonFacts> {
  const [pyproject, pipfile, requirementsFiles] = await Promise.all([files.toml('pyproject.toml'), files.toml('Pipfile'), findRequirementsFiles(files)]);
  const dependencies = new Map<string, string>();
  const add = (names: Iterable<string>, from: string) => {
    for (const name of names) if (!dependencies.has(normalizeName(name))) dependencies.set(normalizeName(name), from);
  };

  const project = asObject(pyproject?.project);
  add(requirementNames(stringList(project?.dependencies)), 'pyproject.toml');
  const poetry = asObject(asObject(pyproject?.tool)?.poetry);
  add(Object.keys(asObject(poetry?.dependencies) ?? {}).filter((n) => n !== 'python'), 'pyproject.toml');
  add(Object.keys(asObject(pipfile?.packages) ?? {}), 'Pipfile');
  for (const file of requirementsFiles) {
    for (const [included, lines] of await readRequirements(files, file)) add(requirementNames(lines), included);
  }
  add(requirementNames(setupCfgRequires((await files.text('setup.cfg')) ?? '')), 'setup.cfg');
  add(requirementNames(setupPyRequires((await files.text('setup.py')) ?? '')), 'setup.py');

  const scripts: ConsoleScript[] = [
    ...scriptTable(asObject(project?.scripts), '[project.scripts]'),
    ...scriptTable(asObject(poetry?.scripts), '[tool.poetry.scripts]'),
    ...setupConsoleScripts((await files.text('setup.py')) ?? '', 'setup.py console_scripts'),
    ...setupConsoleScripts((await files.text('setup.cfg')) ?? '', 'setup.cfg console_scripts'),
  ];
  const unreadable: Evidence[] = [];
  for (const [file, parsed] of [['pyproject.toml', pyproject], ['Pipfile', pipfile]] as const) {
    if (!parsed && (await files.text(file)) !== null) {
      unreadable.push({ about: 'runtime', says: `${file} is not valid TOML: its fields were ignored` });
    }
  }
  return { files, pyproject, pipfile, requirementsFiles, dependencies, scripts, starts: await findStartCommands(files), unreadable };
}

/** PEP 503 normalisation: `Flask_SQLAlchemy` → `flask-sqlalchemy`. */
function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** The lines of a requirements file and of the files it includes with `-r`, a couple of levels deep. */
async function readRequirements(files: ProjectFiles, file: string, depth = 0, seen = new Set<string>()): Promise<Map<string, string[]>> {
  const read = new Map<string, string[]>();
  if (seen.has(file) || depth > 2) return read;
  seen.add(file);
  const lines = ((await files.text(file)) ?? '').split(/\r?\n/);
  read.set(file, lines);
  for (const line of lines) {
    const include = /^\s*(?:-r|--requirement)[=\s]\s*(\S+)/.exec(line)?.[1];
    if (!include) continue;
    const target = posix.normalize(posix.join(posix.dirname(file), include));
    for (const [nested, nestedLines] of await readRequirements(files, target, depth + 1, seen)) read.set(nested, nestedLines);
  }
  return read;
}

/** Distribution names from PEP 508 lines; comments, options (-r, -e, --index-url) and URLs are skipped. */
function requirementNames(lines: string[]): string[] {
  return lines
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line && !line.startsWith('-') && !line.includes('://'))
    .map((line) => /^[A-Za-z0-9][A-Za-z0-9._-]*/.exec(line)?.[0])
    .filter((name): name is string => name !== undefined);
}

function setupCfgRequires(text: string): string[] {
  const match = /^install_requires\s*=\s*(.*(?:\r?\n[ \t]+.*)*)/m.exec(text);
  return match ? match[1]!.split(/\r?\n|;/).map((s) => s.trim()) : [];
}

function setupPyRequires(text: string): string[] {
  const match = /install_requires\s*=\s*\[([^\]]*)\]/.exec(text);
  return match ? [...match[1]!.matchAll(/["']([^"']+)["']/g)].map((m) => m[1]!) : [];
}

/** `name = module:function` lines after `console_scripts` (setup.py's entry_points dict, setup.cfg's section). */
function setupConsoleScripts(text: string, from: string): ConsoleScript[] {
  const section = /console_scripts["']?\s*[:=]\s*([^\]\[]*(?:\[[^\]]*\])?[^\n]*(?:\n[ \t]+[^\n]*)*)/.exec(text)?.[1] ?? '';
  return [...section.matchAll(/["']?([\w.-]+)\s*=\s*([\w.]+:[\w.]+)["']?/g)].map((m) => ({ name: m[1] as string, target: m[2] as string, from }));
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(asString).filter((s): s is string => s !== null) : [];
}

function scriptTable(table: JsonObject | null, from: string): ConsoleScript[] {
  if (!table) return [];
  return Object.entries(table).flatMap(([name, value]) => {
    // Poetry also allows `{ callable = "pkg.mod:fn" }`.
    const target = asString(value) ?? asString(asObject(value)?.callable);
    return target ? [{ name, target, from }] : [];
  });
}
