/**
 * The Python platform: pyproject.toml, Pipfile, setup.py/cfg or requirements projects (Django,
 * FastAPI, Starlette, Flask, Streamlit or a script) wired with the ez_pixel package. Data fields
 * are getters, as in the Node platform, so the value can be built while its modules load.
 */
import { SERVER_ENV_VARIABLES } from '../../plan/dotenv.js';
import { entryToWire } from '../../templates/index.js';
import type { Platform } from '../platform.js';
import { manifestBeforeRemove, requirementsFile } from './dependency/declaration.js';
import { pythonDeclaresSdk } from './dependency/declared.js';
import { planPythonDeclaration } from './dependency/plan.js';
import { detectPythonProject } from './detect/detect-project.js';
import { pythonManifests } from './detect/facts.js';
import { findInterpreter } from './detect/interpreter.js';
import { findRequirementsFiles } from './detect/requirements-files.js';
import { findUvWorkspace } from './detect/uv-workspace.js';
import { checkPythonEntryRuns } from './doctor/entry-runs.js';
import { installedPythonSdk } from './doctor/installed.js';
import { pythonProbeRun } from './doctor/probe.js';
import { checkStreamlitPages } from './doctor/streamlit-pages.js';
import { pythonFrameworks } from './frameworks/index.js';
import { pythonPackageManagers } from './package-managers.js';
import { pythonSdk } from './sdk.js';
import { pythonStartCommand } from './start-command.js';
import { PYTHON_DOTENV_READER, pythonWiring, unsupportedFrameworkSteps } from './templates.js';
import { addPythonEntryInit, pythonInitLoadOrder, removePythonInit, wirePythonEntry } from './wiring/index.js';

export const python: Platform = {
  name: 'python',
  get frameworks() {
    return pythonFrameworks.map((detector) => detector.framework);
  },
  get packageManagers() {
    return pythonPackageManagers;
  },
  get sdk() {
    return pythonSdk;
  },
  companionSdks: () => [],

  manifestIn: async (files) => (await files.firstFile(pythonManifests)) ?? (await findRequirementsFiles(files))[0] ?? null,
  get manifestsLookedFor() {
    return [...pythonManifests, 'requirements*.txt', 'requirements/*.txt'];
  },
  detect: detectPythonProject,

  declaresSdk: pythonDeclaresSdk,
  manifestProblem: () => null,
  requirementsFile: (project) => ({ path: requirementsFile(project), counts: project.packageManager === 'pip' }),
  planDeclaration: planPythonDeclaration,
  predictedManifestDiff: () => null,

  initWiring: (project, settings) => pythonWiring(project, entryToWire(project), settings),
  addInit: addPythonEntryInit,
  wireEntry: wirePythonEntry,
  removeInit: (_project, source, wiring) => removePythonInit(source, wiring),
  // The other files Python wires are a Streamlit app's pages: the same lines as the entry.
  removeHooks: removePythonInit,
  loadOrder: pythonInitLoadOrder,
  envVariables: () => SERVER_ENV_VARIABLES,
  get dotenvReader() {
    return PYTHON_DOTENV_READER;
  },
  unsupportedSteps: (project, framework) => unsupportedFrameworkSteps(framework, project.entry),
  installExtras: async () => ({ kind: 'extras', edits: [], notes: [], manifests: [] }),
  removeExtraLines: async () => ({ kind: 'absent' }),
  startCommand: pythonStartCommand,

  locate: async (root, recorded) => {
    const workspaceRoot = recorded.workspaceRoot === null ? null : ((await findUvWorkspace(root))?.root ?? null);
    return { workspaceRoot, interpreter: (await findInterpreter(root, process.env, workspaceRoot ?? undefined)).value };
  },
  manifestBeforeRemove,
  sameGenerated: null,

  installedSdk: (project) => installedPythonSdk(project),
  checkEntryRuns: checkPythonEntryRuns,
  probeRun: pythonProbeRun,
  moreChecks: async (context) => {
    const pages = await checkStreamlitPages(context);
    return pages ? [pages] : [];
  },
};
