/**
 * Where and how a Python project declares the SDK so that a fresh clone, set up the project's own
 * way, installs it too, with no machine's absolute path anywhere. One row per project shape:
 *
 *   uv, pipenv, poetry (tool.poetry only)  the manager's own add, which writes a relative path
 *   poetry with a PEP 621 [project] table  `ez-pixel (==V)` in [project].dependencies plus a relative
 *                                          path source in [tool.poetry.dependencies]; lock, install
 *   pdm                                    a find-links source `file:///${PROJECT_ROOT}/.ez-pixel`, then
 *                                          `pdm add ez-pixel==V`: a named requirement, so pdm-backend
 *                                          builds and the wheel's METADATA requires ez-pixel by version
 *   hatch (environments, hatchling)        `ez-pixel @ {root:uri}/…` in [project].dependencies
 *   pip with requirements files            the path line in the file the deploy installs from
 *   pip with only a pyproject              hatchling: `{root:uri}`; any other backend has no portable
 *                                          way to name a local file, so `ez-pixel>=V` and a plain note
 *   pip with only setup.py / setup.cfg     `ez-pixel>=V` in install_requires and the same note
 *
 * With --from-registry every shape declares the bare name.
 */
import { parse as parseToml } from 'smol-toml';
import type { Project } from '../../../project.js';
import { version } from '../../../version.js';
import { addProjectDependency, appendBlock, removeBlock, setTableKey } from './pyproject-edit.js';
import { addSetupRequirement } from './setup-edit.js';
import { STATE_DIR } from '../../../package-managers/sdk.js';
import type { PythonPackageManager } from '../../../project.js';
import { pythonPackageManagers } from '../package-managers.js';
import { pythonSdk } from '../sdk.js';

const NAME = pythonSdk.name;

export interface PythonDeclaration {
  /** The manifest as it must be before the commands run (they read it), or null when they edit it. */
  manifestAfter: string | null;
  /** argv arrays, run in order; `{python}` is the project's interpreter. */
  commands: string[][];
  /** pip: the line for the requirements file. */
  requirementsLine: { file: string; line: string } | null;
  /** The spec recorded in install.json. */
  spec: string;
  /** What a fresh clone needs that the files cannot say, or null. */
  note: string | null;
}

export type DeclarationOutcome = { kind: 'declaration'; declaration: PythonDeclaration } | { kind: 'manual'; reason: string; snippet: string };

type Table = Record<string, unknown>;
const table = (value: unknown): Table | null => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Table) : null);

function parsed(text: string | null): Table | null {
  try {
    return text === null ? null : (parseToml(text) as Table);
  } catch {
    return null;
  }
}

export function buildBackend(pyproject: Table | null): string | null {
  const backend = table(pyproject?.['build-system'])?.['build-backend'];
  return typeof backend === 'string' ? backend : null;
}

/** The requirements file pip's line goes into: the detected one (the deploy's, else the base), else requirements.txt. */
export function requirementsFile(project: Project): string {
  return project.manifest.endsWith('.txt') ? project.manifest : 'requirements.txt';
}

/**
 * `artifact` is the wheel's path relative to the root (null: --from-registry); `manifest` the text
 * of project.manifest.
 */
export function declarePython(project: Project, artifact: string | null, manifest: string | null): DeclarationOutcome {
  const row = pythonPackageManagers[project.packageManager as PythonPackageManager];
  const pyproject = project.manifest === 'pyproject.toml' ? parsed(manifest) : null;
  const local = artifact !== null;
  const path = local ? `./${artifact}` : NAME;
  const declaration = (fields: Partial<PythonDeclaration> & { spec: string }): DeclarationOutcome => ({
    kind: 'declaration',
    declaration: { manifestAfter: null, commands: [], requirementsLine: null, note: null, ...fields },
  });
  const manual = (requirement: string, extra = ''): DeclarationOutcome => ({
    kind: 'manual',
    reason: `could not add ${NAME} to [project].dependencies in ${project.manifest} automatically`,
    snippet: `[project]\ndependencies = [${JSON.stringify(requirement)}]${extra}`,
  });

  switch (project.packageManager) {
    case 'poetry': {
      if (!local || table(pyproject?.project) === null) return declaration({ spec: path, commands: [[...row.add!, path]] });
      const requirement = `${NAME} (==${version})`;
      const source = `{ path = ${JSON.stringify(artifact)} }`;
      const withProject = addProjectDependency(manifest ?? '', requirement);
      const after = withProject === null ? null : setTableKey(withProject, 'tool.poetry.dependencies', NAME, source);
      if (after === null) return manual(requirement, `\n\n[tool.poetry.dependencies]\n${NAME} = ${source}`);
      return declaration({ spec: requirement, manifestAfter: after, commands: [['poetry', 'lock'], ['poetry', 'install', '--no-root']] });
    }
    case 'pdm': {
      if (!local) return declaration({ spec: NAME, commands: [[...row.add!, NAME]] });
      const requirement = `${NAME}==${version}`;
      const sources = table(table(pyproject?.tool)?.pdm)?.source;
      const hasSource = Array.isArray(sources) && sources.some((s) => table(s)?.name === NAME);
      const after = manifest === null || hasSource ? null : appendBlock(manifest, PDM_SOURCE);
      return declaration({ spec: requirement, manifestAfter: after, commands: [[...row.add!, requirement]] });
    }
    case 'hatch': {
      const requirement = local ? `${NAME} @ {root:uri}/${artifact}` : NAME;
      const after = withDirectReference(manifest, requirement);
      if (after === null) return manual(requirement);
      // Hatch has no add command; `hatch run` (the import check) syncs the environment.
      return declaration({ spec: requirement, manifestAfter: after });
    }
    case 'pip': {
      const install = ['{python}', '-m', 'pip', 'install', '--disable-pip-version-check', path];
      const setupFile = /(^|\/)setup\.(py|cfg)$/.test(project.manifest);
      if (setupFile && local) {
        // setuptools cannot name a file inside the project portably: by name, and the note says how.
        const requirement = `${NAME}>=${version}`;
        const after = manifest === null ? null : addSetupRequirement(project.manifest, manifest, requirement);
        if (after === null) {
          return { kind: 'manual', reason: `could not add ${NAME} to install_requires in ${project.manifest} automatically`, snippet: `install_requires=[..., ${JSON.stringify(requirement)}]` };
        }
        return declaration({ spec: requirement, manifestAfter: after, commands: [install], note: findLinksNote(project.manifest, requirement, 'setuptools') });
      }
      if (table(pyproject?.project) === null) {
        return declaration({ spec: path, commands: [install], requirementsLine: { file: requirementsFile(project), line: path } });
      }
      if (!local) {
        const after = addProjectDependency(manifest ?? '', NAME);
        return after === null ? manual(NAME) : declaration({ spec: NAME, manifestAfter: after, commands: [install] });
      }
      const backend = buildBackend(pyproject);
      if (backend === 'hatchling.build') {
        const requirement = `${NAME} @ {root:uri}/${artifact}`;
        const after = withDirectReference(manifest, requirement);
        return after === null ? manual(requirement) : declaration({ spec: requirement, manifestAfter: after, commands: [install] });
      }
      const requirement = `${NAME}>=${version}`;
      const after = addProjectDependency(manifest ?? '', requirement);
      if (after === null) return manual(requirement);
      return declaration({ spec: requirement, manifestAfter: after, commands: [install], note: findLinksNote(project.manifest, requirement, backend) });
    }
    default:
      // uv, pipenv: their add writes a path relative to the project.
      return declaration({ spec: path, commands: [[...row.add!, path]] });
  }
}

/** The find-links source install appends for pdm (and uninstall takes out again). */
const PDM_SOURCE = [
  '[[tool.pdm.source]]',
  `name = "${NAME}"`,
  `url = "file:///\${PROJECT_ROOT}/${STATE_DIR}"`,
  'type = "find_links"',
  `include_packages = ["${NAME}"]`,
];

/**
 * The manifest as uninstall's remove command must read it, or null when it can read it as it is.
 * pdm: without our find-links source. `pdm remove` writes a content_hash of the pyproject it sees
 * (dependencies and sources) into pdm.lock; with the source still there, that hash matches
 * neither the original pyproject nor the restored one, so pdm.lock would not come back byte for
 * byte and pdm would call it stale (found on frostming/marko).
 */
export function manifestBeforeRemove(packageManager: Project['packageManager'], manifest: string | null): string | null {
  if (packageManager !== 'pdm' || manifest === null) return null;
  return removeBlock(manifest, PDM_SOURCE);
}

function findLinksNote(manifest: string, requirement: string, backend: string | null): string {
  return (
    `${manifest} now requires ${requirement} by name: ${backend ?? 'its build backend'} has no portable way to name a file ` +
    `inside the project. In a fresh clone install with: pip install --find-links ${STATE_DIR} -e .`
  );
}

/** hatchling accepts a direct reference only with `[tool.hatch.metadata] allow-direct-references = true`. */
function withDirectReference(manifest: string | null, requirement: string): string | null {
  const added = manifest === null ? null : addProjectDependency(manifest, requirement);
  if (added === null || !requirement.includes(' @ ')) return added;
  const metadata = table(table(table(parsed(added)?.tool)?.hatch)?.metadata);
  if (metadata?.['allow-direct-references'] === true) return added;
  if (metadata && 'allow-direct-references' in metadata) return null;
  return setTableKey(added, 'tool.hatch.metadata', 'allow-direct-references', 'true');
}
