/**
 * The browser platform: apps whose code runs in the page (Vite apps: React, Vue, Svelte, Solid,
 * vanilla), wired with @ez-pixel/browser. Their tooling is Node's (package.json, npm and the
 * other JS managers, ts-morph for the entry), so those parts are the Node platform's own, imported
 * from it; what differs is where the init goes, the VITE_ variables, and a doctor that builds the
 * app, since only the build reaches the page. Data fields are getters, as in the other platforms.
 */
import { findWorkspaceRoot } from '../node/detect/workspace.js';
import { declaresJsPackage, jsonProblem, nodeDeclaration } from '../node/dependency.js';
import { installedJsPackage } from '../node/doctor/installed.js';
import { jsInstallExtras } from '../node/install-extras.js';
import { nodePackageManagers, nodeScriptCommand } from '../node/package-managers.js';
import { predictedPackageJsonDiff } from '../node/predicted-manifest.js';
import { nodeLoadOrder } from '../node/wiring/entry.js';
import { sameCode } from '../node/wiring/same-code.js';
import type { Platform } from '../platform.js';
import { browserManifestIn } from './candidates.js';
import { detectBrowserProject } from './detect/detect-project.js';
import { checkViteBuild } from './doctor/build-check.js';
import { checkPageLoadsEntry } from './doctor/entry-runs.js';
import { browserProbeRun } from './doctor/probe.js';
import { browserFrameworks } from './frameworks/index.js';
import { browserSdk } from './sdk.js';
import { VITE_ENV_READER, VITE_VARIABLES, viteWiring } from './templates/vite.js';
import { addBrowserInit, removeBrowserInit, wireBrowserEntry } from './wiring.js';

export const browser: Platform = {
  name: 'browser',
  get frameworks() {
    return browserFrameworks.map((detector) => detector.framework);
  },
  get packageManagers() {
    return nodePackageManagers;
  },
  get sdk() {
    return browserSdk;
  },

  manifestIn: browserManifestIn,
  manifestsLookedFor: ['package.json'],
  detect: detectBrowserProject,

  get declaresSdk() {
    return declaresJsPackage(browserSdk.name);
  },
  manifestProblem: jsonProblem,
  requirementsFile: () => null,
  planDeclaration: async (project, source) => nodeDeclaration(project, source),
  predictedManifestDiff: predictedPackageJsonDiff,

  initWiring: viteWiring,
  addInit: addBrowserInit,
  wireEntry: wireBrowserEntry,
  removeInit: removeBrowserInit,
  removeHooks: async () => ({ kind: 'absent' }),
  loadOrder: nodeLoadOrder,
  dotenvReader: VITE_ENV_READER,
  envVariables: () => VITE_VARIABLES,
  // A browser framework ez-pixel cannot wire is left out at detection; nothing reaches here.
  unsupportedSteps: (_project, framework) => `${framework.name} is not supported`,
  get installExtras() {
    return jsInstallExtras(browserSdk);
  },
  startCommand: async (project) => nodeScriptCommand(project.packageManager, 'dev'),

  locate: async (root, recorded) => ({
    workspaceRoot: recorded.workspaceRoot === null ? null : ((await findWorkspaceRoot(root))?.value ?? null),
    interpreter: null,
  }),
  manifestBeforeRemove: () => null,
  sameGenerated: sameCode,

  get installedSdk() {
    return installedJsPackage(browserSdk.name);
  },
  checkEntryRuns: checkPageLoadsEntry,
  probeRun: browserProbeRun,
  moreChecks: checkViteBuild,
};
