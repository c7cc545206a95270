/** The Python package managers' rows (see package-managers/table.ts for what each field means). */
import type { PythonPackageManager } from '../../project.js';
import type { PackageManagerRow } from '../../package-managers/table.js';

const pathSpec = (_name: string, path: string): string => `./${path}`;

export const pythonPackageManagers: Record<PythonPackageManager, PackageManagerRow> = {
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
