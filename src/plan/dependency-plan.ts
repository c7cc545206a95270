/**
 * The SDK dependency part of an install plan: copy the bundled artifact into `.ez-pixel/`, the
 * package-manager command (or, for hatch, the pyproject edit; for pip, also the line in the
 * project's requirements file), and what install.json must remember to take it back.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Project } from '../project.js';
import { addCommand, dependencySpec, projectCommand, pythonInEnvironment, SDK_PACKAGES, STATE_DIR, type SdkSource } from '../package-managers/commands.js';
import { declaresSdk } from '../package-managers/declared.js';
import { checkPipTarget } from '../platforms/python/dependency/pip.js';
import { uvPythonMissing } from '../platforms/python/dependency/uv-python.js';
import { declarePython, requirementsFile } from '../platforms/python/dependency/declaration.js';
import { inventoryHash } from './dir-inventory.js';
import { appendLine, hasLine } from './line-file.js';
import type { Command, FileCopy, FileEdit } from './plan.js';
import { sha256, type InstallState } from './state.js';

/** dist/plan/ → the package root's artifacts/ (they ship in the npm package). */
const GENERATED_FILE = /(^|\/)(\.pdm-python|package-lock\.json|npm-shrinkwrap\.json|pnpm-lock\.yaml|yarn\.lock|bun\.lock|uv\.lock|poetry\.lock|pdm\.lock|Pipfile\.lock|\.pnp\.c?js|\.pnp\.loader\.mjs)$/;

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

export { requirementsFile };

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
  const planned = project.runtime === 'python' ? await planPythonDeclaration(project, source, manifestText, options) : nodeDeclaration(project, source);
  if ('kind' in planned) return planned;
  if (options.skipInstall) {
    const how = planned.commands[0] ? `run ${planned.commands[0].display}` : `add ${sdk.name} to ${project.manifest}`;
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

  const { edits, lines, manifests, commands, notes } = planned;
  const seen = new Set(manifests.map((manifest) => manifest.path));
  for (const touched of commands.flatMap((command) => command.touches)) {
    const path = relative(project.root, touched);
    if (seen.has(path) || /\.(gz|lockb)$/.test(path)) continue; // recorded already, or binary
    seen.add(path);
    const before = await options.read(path);
    // An existing lockfile can be megabytes: it is not copied into the committed record, and
    // uninstall's own remove command updates it (only a lockfile install created is deleted).
    // .pdm-python holds this machine's interpreter path: never copied into the record either.
    if (before !== null && GENERATED_FILE.test(path)) continue;
    manifests.push({ path, before, afterSha256: null });
  }
  const createdDirs = [...new Set(commands.flatMap((command) => command.creates))]
    .filter((dir) => !existsSync(dir))
    .map((dir) => ({ path: relative(project.root, dir).replace(/\\/g, '/'), contentsSha256: null }));

  return {
    kind: 'part', copies, commands, edits, notes, lines, manifests, createdDirs,
    dependency: {
      name: sdk.name,
      spec: planned.spec,
      source: source.kind,
      packageManager: project.packageManager,
      artifact: source.kind === 'artifact' ? artifactPath : null,
    },
  };
}

interface PlannedDeclaration {
  spec: string;
  commands: Command[];
  edits: FileEdit[];
  lines: InstallState['lines'];
  manifests: InstallState['manifests'];
  notes: string[];
}

function nodeDeclaration(project: Project, source: SdkSource): PlannedDeclaration {
  const command = addCommand(project, source);
  return { spec: dependencySpec(project, source), commands: command ? [command] : [], edits: [], lines: [], manifests: [], notes: [] };
}

/** The declaration (python-declaration.ts) as plan pieces, then the check that the SDK imports where the app runs. */
async function planPythonDeclaration(
  project: Project,
  source: SdkSource,
  manifestText: string | null,
  { read, skipInstall }: { read: ReadText; skipInstall: boolean },
): Promise<PlannedDeclaration | DependencyOutcome> {
  // PEP 668 forbids pip installing into a system Python; --skip-install installs nothing there.
  if (project.packageManager === 'pip' && !skipInstall) {
    const target = await checkPipTarget(project.interpreter);
    if (!target.ok) return { kind: 'problem', message: target.reason, manual: null };
  }
  const outcome = declarePython(project, source.kind === 'artifact' ? source.path : null, manifestText);
  if (outcome.kind === 'manual') return { kind: 'problem', message: outcome.reason, manual: outcome.snippet };
  const { declaration } = outcome;
  const pythonMissing = project.packageManager === 'uv' && !skipInstall ? await uvPythonMissing(project) : null;
  const planned: PlannedDeclaration = {
    spec: declaration.spec,
    commands: declaration.commands.map((argv) => ({ ...projectCommand(project, argv), ...(pythonMissing ? { failure: pythonMissing } : {}) })),
    edits: [],
    lines: [],
    manifests: [],
    notes: declaration.note ? [declaration.note] : [],
  };
  if (declaration.manifestAfter !== null) {
    planned.edits.push({ path: project.manifest, before: manifestText, after: declaration.manifestAfter, beforeCommands: true });
    // Hashed once the commands ran: they rewrite it (pdm add, poetry lock).
    planned.manifests.push({ path: project.manifest, before: manifestText, afterSha256: planned.commands.length > 0 ? null : sha256(declaration.manifestAfter) });
  }
  if (declaration.requirementsLine) {
    const { file, line } = declaration.requirementsLine;
    const before = await read(file);
    if (!hasLine(before, line)) {
      planned.edits.push({ path: file, before, after: appendLine(before, line) });
      planned.lines.push({ file, line, createdFile: before === null });
    }
  }
  planned.commands.push(importCheck(project));
  return planned;
}

/** `import ez_pixel` in the app's own environment: an install that leaves the app unable to import it failed. */
function importCheck(project: Project): Command {
  const run = pythonInEnvironment(project, ['-c', 'import ez_pixel']);
  return {
    ...projectCommand(project, run.argv),
    touches: [],
    creates: [],
    failure: `ez_pixel does not import in the environment the app runs in (${run.display})`,
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
