/**
 * The SDK dependency part of an install plan: copy the bundled artifact into `.ez-pixel/`, the
 * package-manager command (or, for hatch, the pyproject edit; for pip, also the line in the
 * project's requirements file), and what install.json must remember to take it back.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Project } from '../project.js';
import { dependencySpec, sdkSource } from '../package-managers/commands.js';
import { platformOf } from '../platforms/index.js';
import { recordLock, TOML_LOCKFILE, type LockRecord } from './lock-restore.js';
import { inventoryHash } from './dir-inventory.js';
import type { Command, FileCopy, FileEdit } from './plan.js';
import { sha256, type DependencyRecord, type InstallState } from './state.js';

/** dist/plan/ → the package root's artifacts/ (they ship in the npm package). */
const GENERATED_FILE = /(^|\/)(\.pdm-python|package-lock\.json|npm-shrinkwrap\.json|pnpm-lock\.yaml|yarn\.lock|bun\.lock|uv\.lock|poetry\.lock|pdm\.lock|Pipfile\.lock|\.pnp\.c?js|\.pnp\.loader\.mjs)$/;

export const ARTIFACTS_DIR = fileURLToPath(new URL('../../artifacts/', import.meta.url));

export interface DependencyPart {
  copies: FileCopy[];
  commands: Command[];
  edits: FileEdit[];
  notes: string[];
  dependency: InstallState['dependency'];
  companions: DependencyRecord[];
  lines: InstallState['lines'];
  manifests: InstallState['manifests'];
  createdDirs: InstallState['createdDirs'];
  /** Of `createdDirs`, those whose inventory is taken again once the commands ran. */
  remeasured: string[];
  lockfiles: LockRecord[];
}

export type DependencyOutcome =
  | ({ kind: 'part' } & DependencyPart)
  | { kind: 'problem'; message: string; manual: string | null };

type ReadText = (path: string) => Promise<string | null>;

function nothing(notes: string[], previous: InstallState | null, requirements: string | null): DependencyOutcome {
  return {
    kind: 'part', copies: [], commands: [], edits: [], notes,
    dependency: previous?.dependency ?? null,
    companions: previous?.companions ?? [],
    lines: previous?.lines.filter((line) => line.file === requirements) ?? [],
    manifests: previous?.manifests ?? [],
    createdDirs: previous?.createdDirs ?? [],
    remeasured: [],
    lockfiles: previous?.lockfiles ?? [],
  };
}

export async function planDependency(
  project: Project,
  options: { fromRegistry: boolean; skipInstall: boolean; previous: InstallState | null; read: ReadText },
): Promise<DependencyOutcome> {
  const platform = platformOf(project);
  const { sdk } = platform;
  const requirementsFile = platform.requirementsFile(project);
  const requirements = requirementsFile?.path ?? null;
  if (platform.selfContained?.(project)) return nothing([], options.previous, requirements);
  const manifestText = await options.read(project.manifest);
  const declares = (name: string): boolean => manifestText !== null && platform.declaresSdk(project.manifest, manifestText, name);
  const requirementsHasIt = requirementsFile?.counts === true && platform.declaresSdk(requirementsFile.path, (await options.read(requirementsFile.path)) ?? '');
  const ownDeclared = declares(sdk.name) || requirementsHasIt;
  // A full-stack framework's browser SDK goes in with the platform's, by the same command.
  const missing = [...(ownDeclared ? [] : [sdk]), ...platform.companionSdks(project).filter((companion) => !declares(companion.name))];
  const alreadyNote = ownDeclared && options.previous?.dependency == null ? [`${project.manifest} already depends on ${sdk.name}; left as it is`] : [];
  if (missing.length === 0) return nothing(alreadyNote, options.previous, requirements);

  const source = sdkSource(sdk, options.fromRegistry);
  const planned = await platform.planDeclaration(project, source, manifestText, { ...options, packages: missing });
  if ('kind' in planned) return planned;
  if (options.skipInstall) {
    const how = planned.commands[0] ? `run ${planned.commands[0].display}` : `add ${missing.map((sdk) => sdk.name).join(' and ')} to ${project.manifest}`;
    return nothing([`--skip-install: the SDK was not installed; ${how} yourself`], options.previous, requirements);
  }

  const copies: FileCopy[] = [];
  const records: DependencyRecord[] = [];
  for (const added of missing) {
    const from = sdkSource(added, options.fromRegistry);
    if (from.kind === 'artifact') {
      const bundled = join(ARTIFACTS_DIR, added.artifact);
      if (!existsSync(bundled)) {
        return { kind: 'problem', message: `the bundled SDK ${bundled} is missing (run npm run build, or use --from-registry)`, manual: null };
      }
      copies.push({ path: from.path, from: bundled });
    }
    records.push({
      name: added.name,
      spec: added === sdk ? planned.spec : dependencySpec(project, from, added),
      source: from.kind,
      packageManager: project.packageManager,
      artifact: from.kind === 'artifact' ? from.path : null,
    });
  }

  const { edits, lines, manifests, commands, notes } = planned;
  const seen = new Set(manifests.map((manifest) => manifest.path));
  const lockfiles: LockRecord[] = [];
  for (const touched of commands.flatMap((command) => command.touches)) {
    const path = relative(project.root, touched);
    if (seen.has(path) || /\.(gz|lockb)$/.test(path)) continue; // recorded already, or binary
    seen.add(path);
    const before = await options.read(path);
    // An existing lockfile can be megabytes: it is not copied into the committed record, and
    // uninstall's own remove command updates it (only a lockfile install created is deleted).
    // .pdm-python holds this machine's interpreter path: never copied into the record either.
    if (before !== null && GENERATED_FILE.test(path)) {
      // A uv workspace member's lock is the workspace root's (../uv.lock): uninstall never writes
      // outside the project, so that one is left to the remove command, run at the root.
      const restorable = TOML_LOCKFILE.test(path) && !path.startsWith('..');
      const lock = restorable ? await recordLock(project.root, path, before) : null;
      if (lock) lockfiles.push(lock);
      continue;
    }
    manifests.push({ path, before, afterSha256: null });
  }
  const created = [...new Set(commands.flatMap((command) => command.creates))]
    .filter((dir) => !existsSync(dir))
    .map((dir) => ({ path: relative(project.root, dir).replace(/\\/g, '/'), contentsSha256: null }));
  const earlier = await stillAsInstalled(project.root, options.previous?.createdDirs ?? []);
  const createdDirs = [...(options.previous?.createdDirs ?? []).filter((dir) => !created.some((entry) => entry.path === dir.path)), ...created];
  const remeasured = [...earlier, ...created.map((dir) => dir.path)];

  const own = records.find((record) => record.name === sdk.name);
  return {
    kind: 'part', copies, commands, edits, notes: [...alreadyNote, ...notes], lines, manifests: sinceFirstInstall(manifests, options.previous, commands, project.root), createdDirs, remeasured, lockfiles,
    dependency: own ?? options.previous?.dependency ?? null,
    companions: [...(options.previous?.companions ?? []), ...records.filter((record) => record !== own)],
  };
}

/**
 * A re-run that adds a package (the browser SDK, after an install that had only the Node one)
 * keeps each manifest as it was before the first install, which uninstall gives back; the hash
 * after is taken again once the commands ran. Uninstall gave package.json back with
 * @ez-pixel/node in it (found on a Nuxt app installed before its browser side existed).
 */
function sinceFirstInstall(manifests: InstallState['manifests'], previous: InstallState | null, commands: Command[], root: string): InstallState['manifests'] {
  if (!previous) return manifests;
  const now = new Map(manifests.map((manifest) => [manifest.path, manifest]));
  const touched = new Set([...now.keys(), ...commands.flatMap((command) => command.touches.map((path) => relative(root, path).replace(/\\/g, '/')))]);
  const kept = previous.manifests.map((first) => (now.has(first.path) || touched.has(first.path) ? { ...first, afterSha256: null } : first));
  return [...kept, ...manifests.filter((manifest) => !previous.manifests.some((first) => first.path === manifest.path))];
}

/**
 * A re-run that adds a package keeps the directories the first install created (node_modules);
 * one still holding just what install put there holds this run's package too, so it is measured
 * again. One that holds more, or whose contents an older record never said, keeps its record.
 */
async function stillAsInstalled(root: string, dirs: InstallState['createdDirs']): Promise<string[]> {
  const unchanged: string[] = [];
  for (const dir of dirs) {
    if (dir.contentsSha256 !== null && (await inventoryHash(join(root, dir.path))) === dir.contentsSha256) unchanged.push(dir.path);
  }
  return unchanged;
}

/**
 * The record as it must be once the commands ran: the manifests' hashes and the created
 * directories' inventories, so uninstall knows whether the user changed them since.
 */
export async function completeDependencyRecord(root: string, state: InstallState, part: DependencyPart): Promise<InstallState> {
  const manifests = state.manifests.map((manifest) => {
    if (manifest.afterSha256 !== null) return manifest;
    const path = join(root, manifest.path);
    return { ...manifest, afterSha256: existsSync(path) ? sha256(readFileSync(path)) : null };
  });
  // Only directories this run's command created or added to get a new inventory; others keep theirs.
  const remeasured = part.commands.length > 0 ? part.remeasured : [];
  const createdDirs = [];
  for (const dir of state.createdDirs) {
    createdDirs.push(remeasured.includes(dir.path) ? { path: dir.path, contentsSha256: await inventoryHash(join(root, dir.path)) } : dir);
  }
  return { ...state, manifests, createdDirs };
}
