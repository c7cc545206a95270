/**
 * Turns a package-manager row into the Commands of a Plan: add the SDK, remove it, and the
 * absolute paths each command may touch (for the transaction's snapshot).
 */
import { join } from 'node:path';
import type { Project } from '../project.js';
import type { Command } from '../plan/plan.js';
import { platformOf } from '../platforms/index.js';
import { PACKAGE_MANAGERS, type PackageManagerRow } from './table.js';

export { STATE_DIR } from './sdk.js';

export type SdkSource = { kind: 'artifact'; path: string } | { kind: 'registry' };

/** The dependency spec as the manager wants it: the artifact path, or the package name. */
export function dependencySpec(project: Project, source: SdkSource): string {
  const sdk = platformOf(project).sdk;
  if (source.kind === 'registry') return sdk.name;
  return PACKAGE_MANAGERS[project.packageManager].localSpec(sdk.name, source.path);
}

/** The command that adds the SDK, or null when the manager adds by file edit (hatch). */
export function addCommand(project: Project, source: SdkSource): Command | null {
  const row = PACKAGE_MANAGERS[project.packageManager];
  if (row.add === null) return null;
  return makeCommand(project, row, row.add, dependencySpec(project, source));
}

/** The command that removes the SDK, or null when removal is a file edit. */
export function removeCommand(project: Project): Command | null {
  const row = PACKAGE_MANAGERS[project.packageManager];
  if (row.remove === null) return null;
  return makeCommand(project, row, row.remove, platformOf(project).sdk.name);
}

/** Any argv run the way the manager's own commands are (its environment, the files it may touch). */
export function projectCommand(project: Project, argv: string[]): Command {
  return makeCommand(project, PACKAGE_MANAGERS[project.packageManager], argv, null);
}

/** `template`, the workspace-root flag when the project is the root of a JS workspace, then `target`. */
function makeCommand(project: Project, row: PackageManagerRow, template: string[], target: string | null): Command {
  const atWorkspaceRoot = project.workspaceRoot !== null && project.workspaceRoot === project.root;
  const flags = target !== null && atWorkspaceRoot && row.workspaceRootFlag ? [row.workspaceRootFlag] : [];
  const argv = [...template, ...flags, ...(target === null ? [] : [target])].map((arg) => (arg === '{python}' ? (project.interpreter ?? 'python3') : arg));
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
