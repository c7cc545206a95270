/**
 * A `Project` is what detection makes of a directory: a plain value that planning,
 * doctor and uninstall all read. Every choice carries the evidence for it, so the CLI can say
 * why it chose what it chose.
 */
import type { PlatformName } from './platforms/names.js';

/** The platform a project is (node, python...): see src/platforms/. */
export type Runtime = PlatformName;

export type NodeFramework = 'next' | 'sveltekit' | 'nuxt' | 'react-router' | 'remix' | 'nest' | 'express' | 'fastify' | 'koa' | 'hono' | 'trpc' | 'plain';
export type PythonFramework = 'django' | 'flask' | 'fastapi' | 'starlette' | 'streamlit' | 'script';
/** Apps that run in the page: a Vite app, a plain static site (HTML pages and their scripts, no bundler). */
export type BrowserFramework = 'vite' | 'static';
export type Framework = NodeFramework | PythonFramework | BrowserFramework;

export type JsPackageManager = 'npm' | 'pnpm' | 'yarn' | 'yarn-berry' | 'bun';
export type PythonPackageManager = 'uv' | 'poetry' | 'pdm' | 'pipenv' | 'hatch' | 'pip';
/** A static site's: the SDK is a file copied into the site, nothing is installed. */
export type NoPackageManager = 'none';
export type PackageManager = JsPackageManager | PythonPackageManager | NoPackageManager;

export type ModuleSystem = 'esm' | 'cjs';

/** One reason for one choice, in words a user reads: `{ about: 'framework', says: 'package.json depends on express' }`. */
export interface Evidence {
  about: 'runtime' | 'framework' | 'module' | 'typescript' | 'packageManager' | 'entry' | 'workspace';
  says: string;
}

/** A framework detected but not supported: it catches `catches` itself, where no hook of ours sees them. */
export interface UnsupportedFramework {
  name: string;
  catches: string;
}

export interface Project {
  /** Absolute path of the project directory (the one holding package.json or pyproject.toml...). */
  root: string;
  runtime: Runtime;
  framework: Framework;
  packageManager: PackageManager;
  /** Absolute path of the workspace root when the project is a member of a JS workspace or the root of one. */
  workspaceRoot: string | null;
  /** Node and the browser: the module system of the entry file. */
  moduleSystem: ModuleSystem | null;
  /** Node and the browser: the project is written in TypeScript. */
  typescript: boolean;
  /** The manifest that declares dependencies, relative to `root`: package.json, pyproject.toml, requirements.txt or Pipfile. */
  manifest: string;
  /** Python only: absolute path of the interpreter to parse with and pip-install into (the project's virtualenv's when it has one). */
  interpreter: string | null;
  /** Path of the file the init is wired into, relative to `root` with `/` separators; null when none was found. */
  entry: string | null;
  /** Python only: a framework ez-pixel cannot wire (install prints the manual steps, exit 5). */
  unsupported?: UnsupportedFramework;
  evidence: Evidence[];
}
