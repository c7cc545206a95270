/**
 * `.ez-pixel/install.json`: what install did, so uninstall (and doctor) can take back exactly
 * that and nothing else. Written by install as one of its file edits; format version 1:
 *
 *   project     the detected Project minus root, evidence and interpreter (re-detected on each
 *               machine); every path relative to the root, so the committed record holds no
 *               machine's absolute paths (workspaceRoot: '.' or '..', for example)
 *   settings    { projectKey, ingestUrl } written into the init file and .env
 *   dependency  { name, spec, source: 'artifact'|'registry', packageManager, artifact|null }, or null
 *               when install did not add it (--skip-install, or the project already declared it)
 *   companions  the same for each SDK the same command added with it: a full-stack framework's
 *               @ez-pixel/browser. Older records have none
 *   entry       { path, importStatement, marker, hookFiles? } when install inserted the init import, else
 *               null; hookFiles lists the other files given a line: a request-error hook (where the app is
 *               created), or the init line of each Streamlit page in pages/
 *   files       [{ path, sha256 }] files install created, with the hash of what it last wrote
 *   files       also .ez-pixel/.gitignore, which keeps `ez-pixel listen`'s events.jsonl out of git
 *   extraFiles  existing files (not manifests) an install extra added whole lines to: a full-stack
 *               framework's client init in its root layout. Older records have none
 *   lines       [{ file, line, createdFile }] lines appended to .env / the requirements file
 *   manifests   [{ path, before, afterSha256 }] manifest text from before install (before null:
 *               the file did not exist) and a hash of it after install; uninstall puts `before`
 *               back (or deletes the file) only when the hash still matches. An existing lockfile
 *               is not recorded (it can be megabytes; the package manager's remove updates it)
 *   lockfiles   [{ path, gitBlob, resolution }] Python TOML lockfiles that existed and were committed:
 *               uninstall gives the committed bytes back when the remove command's lock resolves the
 *               same packages (lock-restore.ts). Older records have none.
 *   madeDirs    folders install made for a file it created (Nuxt's server/plugins/), removed by
 *               uninstall when they hold nothing else. Older records have none
 *   createdDirs [{ path, contentsSha256 }] directories (node_modules, .venv) that did not exist
 *               before install, with the hash of their package names right after it (dir-inventory.ts);
 *               uninstall deletes one only while that hash still matches. Older records hold bare paths.
 */
import { createHash } from 'node:crypto';
import type { Framework, ModuleSystem, PackageManager, Runtime } from '../project.js';
import { encodeText } from '../read-text.js';
import type { LockRecord } from './lock-restore.js';

export const STATE_FILE = '.ez-pixel/install.json';

export interface InstallState {
  version: 1;
  cli: string;
  project: {
    runtime: Runtime;
    framework: Framework;
    packageManager: PackageManager;
    moduleSystem: ModuleSystem | null;
    typescript: boolean;
    manifest: string;
    entry: string | null;
    /** Relative to the project root, '/' separators. */
    workspaceRoot: string | null;
  };
  settings: { projectKey: string; ingestUrl: string };
  /** null when install did not add the dependency (--skip-install, or the project already had it). */
  dependency: DependencyRecord | null;
  /** The SDKs the same command added with it (a full-stack framework's browser SDK); older records have none. */
  companions?: DependencyRecord[];
  /** hookFiles: the files other than the entry that got a line: a request-error hook (where the app is created), a Streamlit page's init line. */
  entry: { path: string; importStatement: string; marker: string; hookFiles?: string[] } | null;
  files: { path: string; sha256: string }[];
  /** Existing files an install extra gave whole lines (a full-stack framework's root layout); older records have none. */
  extraFiles?: string[];
  lines: { file: string; line: string; createdFile: boolean }[];
  manifests: { path: string; before: string | null; afterSha256: string | null }[];
  createdDirs: { path: string; contentsSha256: string | null }[];
  /** Folders install made for the files it created (Nuxt's plugins/); older records have none. */
  madeDirs?: string[];
  lockfiles?: LockRecord[];
}

export interface DependencyRecord {
  name: string;
  spec: string;
  source: 'artifact' | 'registry';
  packageManager: PackageManager;
  artifact: string | null;
}

/** Every SDK package install added (the dependency, then its companions): what uninstall removes. */
export function addedPackages(state: InstallState): DependencyRecord[] {
  return [...(state.dependency ? [state.dependency] : []), ...(state.companions ?? [])];
}

/** The hash of a file's bytes; text is hashed as the bytes it was read from (read-text.ts). */
export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(typeof text === 'string' ? encodeText(text) : text).digest('hex');
}

export function serializeState(state: InstallState): string {
  return `${JSON.stringify(state, null, 2)}\n`;
}

export type StateRead = { kind: 'none' } | { kind: 'state'; state: InstallState } | { kind: 'unreadable'; reason: string };

export function parseState(text: string | null): StateRead {
  if (text === null) return { kind: 'none' };
  try {
    const state = JSON.parse(text) as InstallState;
    if (state.version !== 1 || typeof state.project?.runtime !== 'string' || !Array.isArray(state.files)) {
      return { kind: 'unreadable', reason: `${STATE_FILE} is not a version 1 install record` };
    }
    // Records written before createdDirs carried a hash: a bare path is a directory never to delete unasked.
    const createdDirs = (state.createdDirs ?? []).map((dir: string | InstallState['createdDirs'][number]) =>
      typeof dir === 'string' ? { path: dir, contentsSha256: null } : dir,
    );
    return { kind: 'state', state: { ...state, createdDirs } };
  } catch (error) {
    return { kind: 'unreadable', reason: `${STATE_FILE} is not valid JSON (${(error as Error).message})` };
  }
}
