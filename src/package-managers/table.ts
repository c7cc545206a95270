/**
 * One row per package manager: how to add the SDK (from the bundled artifact or the registry),
 * how to remove it, and which files and directories it may touch. Behaviour lives in this data;
 * commands.ts turns a row into argv arrays. `{python}` stands for the project's interpreter.
 */
import type { PackageManager, Runtime } from '../project.js';

export interface PackageManagerRow {
  name: PackageManager;
  runtime: Runtime;
  /** argv before the dependency spec; null when the manager has no add command (hatch: a file edit). */
  add: string[] | null;
  /** Added to `add` when the project is the root of a JS workspace. */
  workspaceRootFlag: string | null;
  /** argv before the package name; null when removal is a file edit. */
  remove: string[] | null;
  /** The spec that installs the local artifact at `path` (relative to the project root, `/` separators). */
  localSpec: (packageName: string, path: string) => string;
  /** Files the manager may rewrite, relative to the project root and, for workspaces, the workspace root. */
  touches: string[];
  /** Directories the manager may create, relative to the same roots. */
  creates: string[];
  env: Record<string, string>;
  /** Python only: argv that runs `python` in the environment the app runs in (`{python}`: the project's interpreter). */
  runPython: string[] | null;
}

const NODE_FILES = ['package.json'];
const fileSpec = (_name: string, path: string): string => `file:${path}`;
const pathSpec = (_name: string, path: string): string => `./${path}`;

export const PACKAGE_MANAGERS: Record<PackageManager, PackageManagerRow> = {
  npm: {
    name: 'npm', runtime: 'node',
    add: ['npm', 'install', '--no-audit', '--no-fund'], workspaceRootFlag: null,
    remove: ['npm', 'uninstall', '--no-audit', '--no-fund'],
    localSpec: fileSpec,
    touches: [...NODE_FILES, 'package-lock.json', 'npm-shrinkwrap.json'], creates: ['node_modules'],
    env: {},
    runPython: null,
  },
  pnpm: {
    name: 'pnpm', runtime: 'node',
    add: ['pnpm', 'add'], workspaceRootFlag: '-w',
    remove: ['pnpm', 'remove'],
    localSpec: fileSpec,
    touches: [...NODE_FILES, 'pnpm-lock.yaml', 'pnpm-workspace.yaml'], creates: ['node_modules'],
    env: {},
    runPython: null,
  },
  yarn: {
    name: 'yarn', runtime: 'node',
    add: ['yarn', 'add', '--no-progress'], workspaceRootFlag: '-W',
    remove: ['yarn', 'remove', '--no-progress'],
    localSpec: fileSpec,
    touches: [...NODE_FILES, 'yarn.lock', '.yarnrc'], creates: ['node_modules'],
    env: {},
    runPython: null,
  },
  'yarn-berry': {
    name: 'yarn-berry', runtime: 'node',
    add: ['yarn', 'add'], workspaceRootFlag: null,
    remove: ['yarn', 'remove'],
    // Berry needs the name for a file: tarball, and a path starting with ./
    localSpec: (name, path) => `${name}@file:./${path}`,
    touches: [...NODE_FILES, 'yarn.lock', '.yarnrc.yml', '.pnp.cjs', '.pnp.loader.mjs', '.yarn/install-state.gz'],
    creates: ['node_modules', '.yarn'],
    // Berry refuses to change the lockfile in CI unless told it may.
    env: { YARN_ENABLE_IMMUTABLE_INSTALLS: 'false' },
    runPython: null,
  },
  bun: {
    name: 'bun', runtime: 'node',
    add: ['bun', 'add'], workspaceRootFlag: null,
    remove: ['bun', 'remove'],
    localSpec: fileSpec,
    touches: [...NODE_FILES, 'bun.lockb', 'bun.lock', 'bunfig.toml'], creates: ['node_modules'],
    env: {},
    runPython: null,
  },
  uv: {
    name: 'uv', runtime: 'python',
    add: ['uv', 'add'], workspaceRootFlag: null,
    remove: ['uv', 'remove'],
    localSpec: pathSpec,
    touches: ['pyproject.toml', 'uv.lock'], creates: ['.venv'],
    env: {},
    runPython: ['uv', 'run', '--no-sync', 'python'],
  },
  poetry: {
    name: 'poetry', runtime: 'python',
    add: ['poetry', 'add'], workspaceRootFlag: null,
    remove: ['poetry', 'remove'],
    localSpec: pathSpec,
    touches: ['pyproject.toml', 'poetry.lock'], creates: ['.venv'],
    // poetry's own configuration decides where the environment lives (its cache, or .venv).
    env: {},
    runPython: ['poetry', 'run', 'python'],
  },
  pdm: {
    name: 'pdm', runtime: 'python',
    add: ['pdm', 'add'], workspaceRootFlag: null,
    remove: ['pdm', 'remove'],
    localSpec: pathSpec,
    touches: ['pyproject.toml', 'pdm.lock', '.pdm-python'], creates: ['.venv'],
    env: { PDM_CHECK_UPDATE: 'false' },
    runPython: ['pdm', 'run', 'python'],
  },
  pipenv: {
    name: 'pipenv', runtime: 'python',
    add: ['pipenv', 'install'], workspaceRootFlag: null,
    remove: ['pipenv', 'uninstall'],
    localSpec: pathSpec,
    touches: ['Pipfile', 'Pipfile.lock'], creates: ['.venv'],
    env: { PIPENV_VENV_IN_PROJECT: '1', PIPENV_YES: '1', PIPENV_NOSPIN: '1' },
    runPython: ['pipenv', 'run', 'python'],
  },
  pip: {
    name: 'pip', runtime: 'python',
    add: ['{python}', '-m', 'pip', 'install', '--disable-pip-version-check'], workspaceRootFlag: null,
    remove: ['{python}', '-m', 'pip', 'uninstall', '--disable-pip-version-check', '--yes'],
    localSpec: pathSpec,
    // pip writes only into the virtualenv; the requirements line is our own file edit (snapshotted as one).
    touches: [], creates: [],
    env: {},
    runPython: ['{python}'],
  },
  hatch: {
    name: 'hatch', runtime: 'python',
    // Hatch has no add command: the dependency is an edit of [project].dependencies.
    add: null, workspaceRootFlag: null, remove: null,
    localSpec: pathSpec,
    touches: ['pyproject.toml'], creates: [],
    env: {},
    runPython: ['hatch', 'run', 'python'],
  },
};
