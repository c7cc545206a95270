/**
 * Turns a package-manager row into the Commands of a Plan: add the SDK, remove it, and the
 * absolute paths each command may touch (for the transaction's snapshot).
 */
import { join } from 'node:path';
import type { Project } from '../project.js';
import type { Command } from '../plan/plan.js';
import { platformOf } from '../platforms/index.js';
import type { SdkPackage } from '../platforms/platform.js';
import { PACKAGE_MANAGERS, type PackageManagerRow } from './table.js';

import { STATE_DIR } from './sdk.js';

export { STATE_DIR };

export type SdkSource = { kind: 'artifact'; path: string } | { kind: 'registry' };

/** Where an SDK package is installed from: its bundled artifact, copied into .ez-pixel/, or the registry. */
export function sdkSource(sdk: SdkPackage, fromRegistry: boolean): SdkSource {
  return fromRegistry ? { kind: 'registry' } : { kind: 'artifact', path: `${STATE_DIR}/${sdk.artifact}` };
}

/** The dependency spec as the manager wants it: the artifact path, or the package name (the platform's SDK by default). */
export function dependencySpec(project: Project, source: SdkSource, sdk: SdkPackage = platformOf(project).sdk): string {
  if (source.kind === 'registry') return sdk.name;
  return PACKAGE_MANAGERS[project.packageManager].localSpec(sdk.name, source.path);
}

/**
 * The one command that adds `sdks` (the SDK, and a full-stack framework's browser SDK with it),
 * each from `source`, or null when the manager adds by file edit (hatch).
 */
export function addCommand(project: Project, source: SdkSource, sdks: SdkPackage[] = [platformOf(project).sdk]): Command | null {
  const row = PACKAGE_MANAGERS[project.packageManager];
  if (row.add === null) return null;
  // `source` is the platform's SDK's; a companion comes from its own artifact, or the registry too.
  const own = platformOf(project).sdk.name;
  const specs = sdks.map((sdk) => dependencySpec(project, sdk.name === own ? source : sdkSource(sdk, source.kind === 'registry'), sdk));
  return makeCommand(project, row, row.add, specs);
}

/** The one command that removes the named packages (the platform's SDK by default), or null when removal is a file edit. */
export function removeCommand(project: Project, names: string[] = [platformOf(project).sdk.name]): Command | null {
  const row = PACKAGE_MANAGERS[project.packageManager];
  if (row.remove === null) return null;
  return makeCommand(project, row, row.remove, names);
}

/** Any argv run the way the manager's own commands are (its environment, the files it may touch). */
export function projectCommand(project: Project, argv: string[]): Command {
  return makeCommand(project, PACKAGE_MANAGERS[project.packageManager], argv, []);
}

/** `template`, the workspace-root flag when the project is the root of a JS workspace, then the `targets`. */
function makeCommand(project: Project, row: PackageManagerRow, template: string[], targets: string[]): Command {
  const atWorkspaceRoot = project.workspaceRoot !== null && project.workspaceRoot === project.root;
  const flags = targets.length > 0 && atWorkspaceRoot && row.workspaceRootFlag ? [row.workspaceRootFlag] : [];
  const argv = [...template, ...flags, ...targets].map((arg) => (arg === '{python}' ? (project.interpreter ?? 'python3') : arg));
  const roots = [project.root];
  if (project.workspaceRoot && project.workspaceRoot !== project.root) roots.push(project.workspaceRoot);
  return {
    argv,
    cwd: project.root,
    display: argv.map(quoteForDisplay).join(' '),
    env: row.env,
    touches: roots.flatMap((root) => row.touches.map((file) => join(root, file))),
    creates: roots.flatMap((root) => row.creates.map((dir) => join(root, dir))),
  };
}

/** Quotes an argument only for showing it; commands are always run from the argv array. */
export function quoteForDisplay(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
