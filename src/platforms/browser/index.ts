/**
 * The browser platform: apps whose code runs in the page, wired with @ez-pixel/browser: Vite apps
 * (React, Vue, Svelte, Solid, vanilla) and plain static sites (static/). A Vite app's tooling is
 * Node's (package.json, npm and the other JS managers, ts-morph for the entry), so those parts are
 * the Node platform's own, imported from it; what differs is where the init goes, the VITE_
 * variables, and a doctor that builds the app, since only the build reaches the page. A static
 * site installs nothing and is wired page by page: the members that differ are picked per project
 * (`app(project)`). Data fields are getters, as in the other platforms.
 */
import { findWorkspaceRoot } from '../node/detect/workspace.js';
import { declaresJsPackage, jsonProblem, nodeDeclaration } from '../node/dependency.js';
import { installedJsPackage } from '../node/doctor/installed.js';
import { jsInstallExtras } from '../node/install-extras.js';
import { nodePackageManagers, nodeScriptCommand } from '../node/package-managers.js';
import { predictedPackageJsonDiff } from '../node/predicted-manifest.js';
import { nodeLoadOrder } from '../node/wiring/entry.js';
import { sameCode } from '../node/wiring/same-code.js';
import { removeHiddenSourceMaps, viteConfigFiles } from '../node/wiring/vite-source-maps.js';
import type { Platform } from '../platform.js';
import type { Project } from '../../project.js';
import { browserManifestIn } from './candidates.js';
import { detectBrowserProject } from './detect/detect-project.js';
import { checkViteBuild } from './doctor/build-check.js';
import { checkPageLoadsEntry } from './doctor/entry-runs.js';
import { browserProbeRun } from './doctor/probe.js';
import { browserFrameworks } from './frameworks/index.js';
import { browserSdk } from './sdk.js';
import { detectStaticSite, isStaticSiteAt, noPackageManager, removeStaticTags, staticDeclaresSdk, staticSite, type AppMembers } from './static/index.js';
import { VITE_ENV_READER, VITE_VARIABLES, viteWiring } from './templates/vite.js';
import { addBrowserInit, removeBrowserInit, wireBrowserEntry } from './wiring.js';

/** A Vite app's members where a static site's differ. */
const viteApp: AppMembers = {
  selfContained: () => null,
  initWiring: viteWiring,
  addInit: addBrowserInit,
  wireEntry: wireBrowserEntry,
  removeInit: removeBrowserInit,
  loadOrder: nodeLoadOrder,
  get installExtras() {
    return jsInstallExtras(browserSdk, () => true);
  },
  startCommand: async (project) => nodeScriptCommand(project.packageManager, 'dev'),
  get installedSdk() {
    return installedJsPackage(browserSdk.name);
  },
  checkEntryRuns: checkPageLoadsEntry,
  probeRun: browserProbeRun,
  moreChecks: checkViteBuild,
};

const app = (project: Pick<Project, 'framework'>): AppMembers => (project.framework === 'static' ? staticSite : viteApp);

export const browser: Platform = {
  name: 'browser',
  get frameworks() {
    return [...browserFrameworks.map((detector) => detector.framework), 'static' as const];
  },
  get packageManagers() {
    return { ...nodePackageManagers, none: noPackageManager };
  },
  get sdk() {
    return browserSdk;
  },
  companionSdks: () => [],

  manifestIn: browserManifestIn,
  manifestsLookedFor: ['package.json', 'index.html'],
  detect: async (root, options) => ((await isStaticSiteAt(root, options)) ? detectStaticSite(root, options) : detectBrowserProject(root, options)),

  declaresSdk: (path, text) => staticDeclaresSdk(path, text) ?? declaresJsPackage(browserSdk.name)(path, text),
  manifestProblem: (path, text) => (path.endsWith('.html') ? null : jsonProblem(path, text)),
  requirementsFile: () => null,
  selfContained: (project) => app(project).selfContained(project),
  planDeclaration: async (project, source, _manifest, { packages }) => nodeDeclaration(project, source, packages),
  predictedManifestDiff: predictedPackageJsonDiff,

  initWiring: (project, settings) => app(project).initWiring(project, settings),
  addInit: (project, entryPath, source, wiring) => app(project).addInit(project, entryPath, source, wiring),
  wireEntry: (project, entryPath, source, wiring, read) => app(project).wireEntry(project, entryPath, source, wiring, read),
  removeInit: (project, source, wiring) => app(project).removeInit(project, source, wiring),
  // A static site's pages other than index.html; a Vite app wires no file but its entry.
  removeHooks: removeStaticTags,
  loadOrder: (project, entryPath, source) => app(project).loadOrder(project, entryPath, source),
  dotenvReader: VITE_ENV_READER,
  envVariables: () => VITE_VARIABLES,
  installExtras: (project, wiring, read, options) => app(project).installExtras(project, wiring, read, options),
  removeExtraLines: async (_project, path, source) => (viteConfigFiles.includes(path) ? removeHiddenSourceMaps(source) : { kind: 'absent' }),
  startCommand: (project) => app(project).startCommand(project),

  locate: async (root, recorded) => ({
    workspaceRoot: recorded.workspaceRoot === null ? null : ((await findWorkspaceRoot(root))?.value ?? null),
    interpreter: null,
  }),
  manifestBeforeRemove: () => null,
  sameGenerated: sameCode,

  installedSdk: (project, entry) => app(project).installedSdk(project, entry),
  checkEntryRuns: (context) => app(context.project).checkEntryRuns(context),
  probeRun: (context) => app(context.project).probeRun(context),
  moreChecks: (context) => app(context.project).moreChecks(context),
};
