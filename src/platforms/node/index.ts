/**
 * The Node platform: package.json projects (Express, Fastify, Koa, Hono, NestJS, tRPC, Next.js, React Router, Remix,
 * SvelteKit or a plain app or CLI) wired with @ez-pixel/node. Data fields are getters so that this value can be
 * built while a module it reads is still loading (the registry and these modules import each other).
 */
import { SERVER_ENV_VARIABLES } from '../../plan/dotenv.js';
import { entryToWire } from '../../templates/index.js';
import { browserSdk } from '../browser/sdk.js';
import type { Platform } from '../platform.js';
import { nodeManifestIn, nodeWorkspaceMembers } from './candidates.js';
import { nodeDeclaration, nodeDeclaresSdk, jsonProblem } from './dependency.js';
import { detectNodeProject } from './detect/detect-project.js';
import { findWorkspaceRoot } from './detect/workspace.js';
import { checkBuiltOutput } from './doctor/build-check.js';
import { checkCompanionSdk } from './doctor/companion-check.js';
import { checkNextBuild } from './doctor/next-build-check.js';
import { checkRouterBuild } from './doctor/react-router-build.js';
import { checkNuxtBuild } from './doctor/nuxt-build-check.js';
import { checkNodeEntryRuns } from './doctor/entry-runs.js';
import { installedNodeSdk } from './doctor/installed.js';
import { nodeProbeRun } from './doctor/probe.js';
import { checkSvelteKitBuild, svelteKitProbeRun } from './doctor/sveltekit.js';
import { nodeFrameworks } from './frameworks/index.js';
import { routerOf } from './frameworks/routers.js';
import { clientSideOf } from './full-stack/client-side.js';
import { nodeInstallExtras } from './install-extras.js';
import { nodePackageManagers } from './package-managers.js';
import { predictedPackageJsonDiff } from './predicted-manifest.js';
import { nodeSdk } from './sdk.js';
import { nextWiring } from './templates/next.js';
import { reactRouterWiring } from './templates/react-router.js';
import { nuxtWiring } from './templates/nuxt.js';
import { DOTENV_READER, nodeWiring } from './templates/node.js';
import { svelteKitWiring } from './templates/sveltekit.js';
import { addNodeOrNextInit, nodeInitLoadOrder, removeNodeHooks, removeNodeInit, wireNodeEntry } from './wiring/index.js';
import { nodeStartLine } from './start-line.js';
import { sameCode } from './wiring/same-code.js';
import { removeHiddenSourceMaps, viteConfigFiles } from './wiring/vite-source-maps.js';

export const node: Platform = {
  name: 'node',
  get frameworks() {
    return nodeFrameworks.map((detector) => detector.framework);
  },
  get packageManagers() {
    return nodePackageManagers;
  },
  get sdk() {
    return nodeSdk;
  },
  companionSdks: (project) => (clientSideOf(project) ? [browserSdk] : []),

  manifestIn: nodeManifestIn,
  manifestsLookedFor: ['package.json'],
  detect: detectNodeProject,
  members: nodeWorkspaceMembers,

  declaresSdk: nodeDeclaresSdk,
  manifestProblem: jsonProblem,
  requirementsFile: () => null,
  planDeclaration: async (project, source, _manifest, { packages }) => nodeDeclaration(project, source, packages),
  predictedManifestDiff: predictedPackageJsonDiff,

  initWiring: (project, settings) => {
    if (project.framework === 'next') return nextWiring(project, settings);
    if (routerOf(project.framework)) return reactRouterWiring(project, settings);
    if (project.framework === 'sveltekit') return svelteKitWiring(project, settings);
    if (project.framework === 'nuxt') return nuxtWiring(project, settings);
    return nodeWiring(project, entryToWire(project), settings);
  },
  addInit: addNodeOrNextInit,
  wireEntry: wireNodeEntry,
  removeInit: removeNodeInit,
  removeHooks: removeNodeHooks,
  loadOrder: nodeInitLoadOrder,
  envVariables: () => SERVER_ENV_VARIABLES,
  get dotenvReader() {
    return DOTENV_READER;
  },
  installExtras: nodeInstallExtras,
  removeExtraLines: async (project, path, source) =>
    viteConfigFiles.includes(path) ? removeHiddenSourceMaps(source) : ((await clientSideOf(project)?.removeLines(project, path, source)) ?? { kind: 'absent' }),
  startCommand: nodeStartLine,

  locate: async (root, recorded) => ({
    workspaceRoot: recorded.workspaceRoot === null ? null : ((await findWorkspaceRoot(root))?.value ?? null),
    interpreter: null,
  }),
  manifestBeforeRemove: () => null,
  sameGenerated: sameCode,

  installedSdk: installedNodeSdk,
  checkEntryRuns: checkNodeEntryRuns,
  probeRun: (context) => (context.project.framework === 'sveltekit' ? svelteKitProbeRun(context) : nodeProbeRun(context)),
  moreChecks: async (context) => {
    const built = (await checkBuiltOutput(context)) ?? checkNextBuild(context) ?? (await checkRouterBuild(context)) ?? (await checkSvelteKitBuild(context)) ?? (await checkNuxtBuild(context));
    const client = clientSideOf(context.project);
    const clientChecks = client ? [await checkCompanionSdk(context, browserSdk), ...(await client.checks(context))] : [];
    return [...(built ? [built] : []), ...clientChecks];
  },
};
