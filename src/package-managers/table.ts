/**
 * One row per package manager: how to add the SDK (from the bundled artifact or the registry),
 * how to remove it, and which files and directories it may touch. Behaviour lives in this data;
 * commands.ts turns a row into argv arrays. `{python}` stands for the project's interpreter.
 */
import type { PackageManager, Runtime } from '../project.js';

export interface PackageManagerRow {
  name: PackageManager;
  runtime: Runtime;
  /** argv before the dependency spec; null when the manager has no add command (hatch: a file edit). */
  add: string[] | null;
  /** Added to `add` when the project is the root of a JS workspace. */
  workspaceRootFlag: string | null;
  /** argv before the package name; null when removal is a file edit. */
  remove: string[] | null;
  /** The spec that installs the local artifact at `path` (relative to the project root, `/` separators). */
  localSpec: (packageName: string, path: string) => string;
  /** Files the manager may rewrite, relative to the project root and, for workspaces, the workspace root. */
  touches: string[];
  /** Directories the manager may create, relative to the same roots. */
  creates: string[];
  env: Record<string, string>;
  /** Python only: argv that runs the interpreter in the environment the app runs in (`{python}`: the project's interpreter). */
  runPython: string[] | null;
}

/** Every platform's rows, by name (each platform lists its own; see src/platforms/). */
export { PACKAGE_MANAGERS } from '../platforms/index.js';
