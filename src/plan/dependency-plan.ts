/**
 * The SDK dependency part of an install plan: copy the bundled artifact into `.ez-pixel/`, the
 * package-manager command (or, for hatch, the pyproject edit; for pip, also the line in the
 * project's requirements file), and what install.json must remember to take it back.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Project } from '../project.js';
import { addCommand, dependencySpec, SDK_PACKAGES, STATE_DIR, type SdkSource } from '../package-managers/commands.js';
import { declaresSdk } from '../package-managers/declared.js';
import { addHatchDependency, hatchRequirement } from '../package-managers/hatch.js';
import { checkPipTarget } from '../package-managers/pip.js';
import { inventoryHash } from './dir-inventory.js';
import { appendLine, hasLine } from './line-file.js';
import type { Command, FileCopy, FileEdit } from './plan.js';
import { sha256, type InstallState } from './state.js';

/** dist/plan/ → the package root's artifacts/ (they ship in the npm package). */
const GENERATED_FILE = /(^|\/)(package-lock\.json|npm-shrinkwrap\.json|pnpm-lock\.yaml|yarn\.lock|bun\.lock|uv\.lock|poetry\.lock|pdm\.lock|Pipfile\.lock|\.pnp\.c?js|\.pnp\.loader\.mjs)$/;

export const ARTIFACTS_DIR = fileURLToPath(new URL('../../artifacts/', import.meta.url));

export interface DependencyPart {
  copies: FileCopy[];
  commands: Command[];
  edits: FileEdit[];
  notes: string[];
  dependency: InstallState['dependency'];
  lines: InstallState['lines'];
  manifests: InstallState['manifests'];
  createdDirs: InstallState['createdDirs'];
}

export type DependencyOutcome =
  | ({ kind: 'part' } & DependencyPart)
  | { kind: 'problem'; message: string; manual: string | null };

type ReadText = (path: string) => Promise<string | null>;

/** The requirements file pip's line goes into: the detected one (requirements/base.txt...), else requirements.txt. */
export function requirementsFile(project: Project): string {
  return project.manifest.endsWith('.txt') ? project.manifest : 'requirements.txt';
}

function nothing(notes: string[], previous: InstallState | null, requirements: string): DependencyOutcome {
  return {
    kind: 'part', copies: [], commands: [], edits: [], notes,
    dependency: previous?.dependency ?? null,
    lines: previous?.lines.filter((line) => line.file === requirements) ?? [],
    manifests: previous?.manifests ?? [],
    createdDirs: previous?.createdDirs ?? [],
  };
}

export async function planDependency(
  project: Project,
  options: { fromRegistry: boolean; skipInstall: boolean; previous: InstallState | null; read: ReadText },
): Promise<DependencyOutcome> {
  const sdk = SDK_PACKAGES[project.runtime];
  const requirements = requirementsFile(project);
  const manifestText = await options.read(project.manifest);
  const declared = manifestText !== null && declaresSdk(project.runtime, project.manifest, manifestText);
  const requirementsHasIt = project.packageManager === 'pip' && declaresSdk('python', requirements, (await options.read(requirements)) ?? '');
  if (declared || requirementsHasIt) {
    const mine = options.previous?.dependency != null;
    return nothing(mine ? [] : [`${project.manifest} already depends on ${sdk.name}; left as it is`], options.previous, requirements);
  }

  const artifactPath = `${STATE_DIR}/${sdk.artifact}`;
  const source: SdkSource = options.fromRegistry ? { kind: 'registry' } : { kind: 'artifact', path: artifactPath };
  const command = addCommand(project, source);
  if (options.skipInstall) {
    const how = command ? `run ${command.display}` : `add ${sdk.name} to ${project.manifest}`;
    return nothing([`--skip-install: the SDK was not installed; ${how} yourself`], options.previous, requirements);
  }

  const copies: FileCopy[] = [];
  if (source.kind === 'artifact') {
    const from = join(ARTIFACTS_DIR, sdk.artifact);
    if (!existsSync(from)) {
      return { kind: 'problem', message: `the bundled SDK ${from} is missing (run npm run build, or use --from-registry)`, manual: null };
    }
    copies.push({ path: artifactPath, from });
  }

  const edits: FileEdit[] = [];
  const lines: InstallState['lines'] = [];
  const manifests: InstallState['manifests'] = [];
  if (project.packageManager === 'pip') {
    const target = await checkPipTarget(project.interpreter);
    if (!target.ok) return { kind: 'problem', message: target.reason, manual: null };
    const before = await options.read(requirements);
    const line = dependencySpec(project, source);
    if (!hasLine(before, line)) {
      edits.push({ path: requirements, before, after: appendLine(before, line) });
      lines.push({ file: requirements, line, createdFile: before === null });
    }
  }
  if (project.packageManager === 'hatch') {
    const requirement = hatchRequirement(source.kind === 'artifact' ? source.path : null);
    const after = manifestText === null ? null : addHatchDependency(manifestText, requirement);
    if (after === null) {
      return {
        kind: 'problem',
        message: `could not add ${sdk.name} to [project].dependencies in ${project.manifest} automatically`,
        manual: `[project]\ndependencies = [${JSON.stringify(requirement)}]`,
      };
    }
    edits.push({ path: project.manifest, before: manifestText, after });
    manifests.push({ path: project.manifest, before: manifestText, afterSha256: sha256(after) });
  }

  const commands = command ? [command] : [];
  for (const touched of command?.touches ?? []) {
    const path = relative(project.root, touched);
    if (/\.(gz|lockb)$/.test(path)) continue; // binary files
    const before = await options.read(path);
    // An existing lockfile can be megabytes: it is not copied into the committed record, and
    // uninstall's own remove command updates it (only a lockfile install created is deleted).
    if (before !== null && GENERATED_FILE.test(path)) continue;
    manifests.push({ path, before, afterSha256: null });
  }
  const createdDirs = (command?.creates ?? [])
    .filter((dir) => !existsSync(dir))
    .map((dir) => ({ path: relative(project.root, dir).replace(/\\/g, '/'), contentsSha256: null }));

  return {
    kind: 'part', copies, commands, edits, notes: [], lines, manifests, createdDirs,
    dependency: {
      name: sdk.name,
      spec: dependencySpec(project, source),
      source: source.kind,
      packageManager: project.packageManager,
      artifact: source.kind === 'artifact' ? artifactPath : null,
    },
  };
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
  // Only directories this run's command created get an inventory; earlier ones keep theirs.
  const created = part.commands.length > 0 ? part.createdDirs : [];
  const createdDirs = [];
  for (const dir of state.createdDirs) {
    const isNew = created.some((entry) => entry.path === dir.path);
    createdDirs.push(isNew ? { path: dir.path, contentsSha256: await inventoryHash(join(root, dir.path)) } : dir);
  }
  return { ...state, manifests, createdDirs };
}
