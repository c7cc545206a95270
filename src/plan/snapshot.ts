/**
 * The transaction's memory: for every path a plan may touch, what was there (a file's bytes and
 * mode, a symlink's target, or nothing), and which directories existed. A symlink is recorded as a
 * link and the file it points to is recorded too, since edits land on that file. Restoring puts
 * every byte and link back, removes what was new, then checks that it really did.
 */
import { lstat, mkdir, readdir, readFile, readlink, realpath, rename, rm, symlink } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { realLocation } from './write-target.js';
import { writeFileAtomic } from './write-atomic.js';

type PathState =
  | { kind: 'file'; content: Buffer; mode: number }
  | { kind: 'link'; target: string }
  | { kind: 'missing' }
  /** A fifo, socket or device: never written by a plan, left as it is. */
  | { kind: 'other' };

export interface Snapshot {
  root: string;
  files: Map<string, PathState>;
  /** Directories that may be created, and whether they existed. */
  dirs: Map<string, boolean>;
}

async function readPathState(path: string): Promise<PathState> {
  try {
    const info = await lstat(path);
    if (info.isSymbolicLink()) return { kind: 'link', target: await readlink(path) };
    if (!info.isFile()) return { kind: 'other' };
    return { kind: 'file', content: await readFile(path), mode: info.mode & 0o7777 };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    throw error;
  }
}

function sameState(a: PathState, b: PathState): boolean {
  if (a.kind === 'file' && b.kind === 'file') return a.mode === b.mode && a.content.equals(b.content);
  if (a.kind === 'link' && b.kind === 'link') return a.target === b.target;
  return a.kind === b.kind;
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

/** Files and symlinks under `dir` (not following links into other folders). */
async function entriesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(
    entries.map((entry) => (entry.isDirectory() ? entriesUnder(join(dir, entry.name)) : Promise.resolve([join(dir, entry.name)]))),
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
 * `files` are absolute paths of files (or whole directories, snapshotted entry by entry) that
 * may be written or deleted; `dirs` are directories that may be created.
 */
export async function takeSnapshot(root: string, files: string[], dirs: string[]): Promise<Snapshot> {
  const snapshot: Snapshot = { root, files: new Map(), dirs: new Map() };
  const realRoot = await realpath(root);
  const record = async (path: string, base: string): Promise<void> => {
    if (snapshot.files.has(path)) return;
    const info = await lstat(path).catch(() => null);
    if (info?.isDirectory()) {
      snapshot.dirs.set(path, true);
      for (const entry of await entriesUnder(path)) await record(entry, base);
    } else {
      const state = await readPathState(path);
      snapshot.files.set(path, state);
      // An edit of a link lands on the file it points to (write-target.ts): remember that file too.
      if (state.kind === 'link') await record(await realLocation(path), realRoot);
    }
    const ancestor = await firstMissingAncestor(base, path);
    if (ancestor !== null) snapshot.dirs.set(ancestor, false);
  };
  for (const path of new Set(files)) await record(path, root);
  for (const dir of dirs) if (!snapshot.dirs.has(dir)) snapshot.dirs.set(dir, await exists(dir));
  return snapshot;
}

/**
 * Puts every byte and link back, then reads everything again: returns the paths that could not
 * be restored or still differ (empty only when the rollback is complete).
 */
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
      if (sameState(await readPathState(path), state)) return;
      await putBack(path, state);
    });
  }
  for (const [dir, existed] of snapshot.dirs) {
    if (!existed) await attempt(dir, () => rm(dir, { recursive: true, force: true }));
  }
  for (const [path, state] of snapshot.files) {
    if (problems.some((problem) => problem.startsWith(`${relative(snapshot.root, path)}:`))) continue;
    await attempt(path, async () => {
      if (!sameState(await readPathState(path), state)) throw new Error('still differs from before after the rollback');
    });
  }
  return problems;
}

async function putBack(path: string, state: PathState): Promise<void> {
  if (state.kind === 'other') return;
  if (state.kind === 'missing') return removeIfPresent(path);
  await mkdir(dirname(path), { recursive: true });
  const current = await lstat(path).catch(() => null);
  if (current?.isDirectory()) await rm(path, { recursive: true, force: true });
  if (state.kind === 'file') return writeFileAtomic(path, state.content, state.mode);
  // A new link beside the path, renamed over whatever is there now (a file a bad write left).
  const temporary = join(dirname(path), `.ez-pixel-link-${process.pid}.tmp`);
  await rm(temporary, { force: true });
  await symlink(state.target, temporary);
  await rename(temporary, path);
}

/** Removes a file that did not exist before; a path through a non-directory cannot exist (ENOTDIR). */
async function removeIfPresent(path: string): Promise<void> {
  await rm(path, { force: true, recursive: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOTDIR') throw error;
  });
}
