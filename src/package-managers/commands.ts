/**
 * Turns a package-manager row into the Commands of a Plan: add the SDK, remove it, and the
 * absolute paths each command may touch (for the transaction's snapshot).
 */
import { join } from 'node:path';
import type { Project } from '../project.js';
import type { Command } from '../plan/plan.js';
import { SDK_PACKAGES } from './sdk.js';
import { PACKAGE_MANAGERS, type PackageManagerRow } from './table.js';

export { SDK_PACKAGES, STATE_DIR } from './sdk.js';

export type SdkSource = { kind: 'artifact'; path: string } | { kind: 'registry' };

/** The dependency spec as the manager wants it: the artifact path, or the package name. */
export function dependencySpec(project: Project, source: SdkSource): string {
  const sdk = SDK_PACKAGES[project.runtime];
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
  return makeCommand(project, row, row.remove, SDK_PACKAGES[project.runtime].name);
}

/** Any argv run the way the manager's own commands are (its environment, the files it may touch). */
export function projectCommand(project: Project, argv: string[]): Command {
  return makeCommand(project, PACKAGE_MANAGERS[project.packageManager], argv, null);
}

/**
 * `python <args>` in the environment the app runs in: poetry's (its cache virtualenv or .venv),
 * pdm's, hatch's default environment, pipenv's, the uv project or workspace .venv, or for pip the
 * project's interpreter. Install's import check and doctor both use it, so they agree.
 */
export function pythonInEnvironment(project: Project, args: string[]): { argv: string[]; env: Record<string, string>; display: string } {
  const row = PACKAGE_MANAGERS[project.packageManager];
  const argv = [...(row.runPython ?? ['{python}']), ...args].map((arg) => (arg === '{python}' ? (project.interpreter ?? 'python3') : arg));
  return { argv, env: row.env, display: argv.map(quoteForDisplay).join(' ') };
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
function quoteForDisplay(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
