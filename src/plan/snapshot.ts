/**
 * The transaction's memory: the bytes (and modes) of every file a plan may touch, which of them
 * existed, and which directories existed. Restoring puts every byte back and removes what was new.
 */
import { lstat, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { writeFileAtomic } from './write-atomic.js';

interface FileState {
  content: Buffer | null;
  mode: number | null;
}

export interface Snapshot {
  root: string;
  files: Map<string, FileState>;
  /** Directories that may be created, and whether they existed. */
  dirs: Map<string, boolean>;
}

async function readFileState(path: string): Promise<FileState> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return { content: null, mode: null };
    return { content: await readFile(path), mode: info.mode & 0o7777 };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { content: null, mode: null };
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(
    entries.map((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : Promise.resolve(entry.isFile() ? [join(dir, entry.name)] : []))),
  );
  return nested.flat();
}

/** The highest ancestor of `path` (below `root`) that does not exist yet, or null. */
async function firstMissingAncestor(root: string, path: string): Promise<string | null> {
  let missing: string | null = null;
  for (let dir = dirname(path); dir.startsWith(root + sep) && dir !== root; dir = dirname(dir)) {
    if (await exists(dir)) break;
    missing = dir;
  }
  return missing;
}

/**
 * `files` are absolute paths of files (or whole directories, snapshotted file by file) that
 * may be written or deleted; `dirs` are directories that may be created.
 */
export async function takeSnapshot(root: string, files: string[], dirs: string[]): Promise<Snapshot> {
  const snapshot: Snapshot = { root, files: new Map(), dirs: new Map() };
  for (const path of new Set(files)) {
    const info = await lstat(path).catch(() => null);
    if (info?.isDirectory()) {
      snapshot.dirs.set(path, true);
      for (const file of await filesUnder(path)) snapshot.files.set(file, await readFileState(file));
    } else if (info === null || info.isFile()) {
      snapshot.files.set(path, await readFileState(path));
    }
    const ancestor = await firstMissingAncestor(root, path);
    if (ancestor !== null) snapshot.dirs.set(ancestor, false);
  }
  for (const dir of dirs) if (!snapshot.dirs.has(dir)) snapshot.dirs.set(dir, await exists(dir));
  return snapshot;
}

/** Puts every byte back; returns the paths it could not restore (empty when all went well). */
export async function restoreSnapshot(snapshot: Snapshot): Promise<string[]> {
  const problems: string[] = [];
  const attempt = async (path: string, work: () => Promise<unknown>): Promise<void> => {
    try {
      await work();
    } catch (error) {
      problems.push(`${relative(snapshot.root, path)}: ${(error as Error).message}`);
    }
  };
  for (const [path, state] of snapshot.files) {
    await attempt(path, async () => {
      if (state.content === null) return removeIfPresent(path);
      const current = await readFileState(path);
      if (current.content?.equals(state.content) && current.mode === state.mode) return;
      await mkdir(dirname(path), { recursive: true });
      await writeFileAtomic(path, state.content, state.mode);
    });
  }
  for (const [dir, existed] of snapshot.dirs) {
    if (!existed) await attempt(dir, () => rm(dir, { recursive: true, force: true }));
  }
  return problems;
}

/** Removes a file that did not exist before; a path through a non-directory cannot exist (ENOTDIR). */
async function removeIfPresent(path: string): Promise<void> {
  await rm(path, { force: true, recursive: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOTDIR') throw error;
  });
}
