/**
 * Where a write to a project path really lands. A path may be a symlink, or lie under a symlinked
 * folder: ez-pixel edits the real file when it is inside the project (so the link stays a link)
 * and never writes through a link that leads out of it. Planning refuses such a plan up front;
 * apply checks again, so nothing outside is written even if the tree changed in between.
 */
import { lstat, readlink, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, posix, relative, resolve, sep } from 'node:path';
import type { Project } from '../project.js';
import type { Plan } from './plan.js';

export type WriteTarget = { kind: 'inside'; real: string } | { kind: 'outside'; real: string };

const maxLinkHops = 40;

/** The real location of `path`, following every symlink, also a dangling one or one to a missing folder. */
export async function realLocation(path: string, hops = 0): Promise<string> {
  try {
    return await realpath(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
  }
  const info = await lstat(path).catch(() => null);
  if (info?.isSymbolicLink()) {
    if (hops >= maxLinkHops) throw new Error(`${path}: too many levels of symbolic links`);
    return realLocation(resolve(dirname(path), await readlink(path)), hops + 1);
  }
  const parent = dirname(path);
  if (parent === path) return path;
  return join(await realLocation(parent, hops), basename(path));
}

/** Where writing `path` lands, and whether that is inside `boundary` (the project root). */
export async function writeTarget(boundary: string, path: string): Promise<WriteTarget> {
  const [realBoundary, real] = await Promise.all([realpath(boundary), realLocation(path)]);
  const inside = real === realBoundary || real.startsWith(realBoundary + sep);
  return { kind: inside ? 'inside' : 'outside', real };
}

/** Where the directory entry `path` itself lies (its folder followed, the entry not). */
async function entryTarget(boundary: string, path: string): Promise<WriteTarget> {
  const folder = await writeTarget(boundary, dirname(path));
  const real = join(folder.real, basename(path));
  return { kind: folder.kind === 'inside' && real !== (await realpath(boundary)) ? 'inside' : 'outside', real };
}

/**
 * The project with its entry moved to the file a symlinked entry points to, when that is inside
 * the project: Node and Python resolve the link before they resolve the entry's relative imports,
 * so the init file and its import must sit beside the real file. Otherwise the project as it is.
 */
export async function withRealEntry(project: Project): Promise<Project> {
  if (project.entry === null) return project;
  const target = await writeTarget(project.root, join(project.root, project.entry));
  if (target.kind === 'outside') return project;
  const real = relative(await realpath(project.root), target.real).split(sep).join('/');
  return real === posix.normalize(project.entry) ? project : { ...project, entry: real };
}

export interface Escape {
  /** Relative to the project root, as the plan names it. */
  path: string;
  real: string;
}

/**
 * Every file the plan would write or delete (edits, copies, and the files its package manager
 * rewrites) whose real location is outside the project, and every removal (a folder install
 * created) outside it; for a workspace member, the manager's files and folders may be anywhere in
 * the workspace. Removals move the entry itself, so a removal that is a link is judged by where
 * the link lies, not where it points. Uninstall's paths come from a committed install.json: this
 * is also what keeps a hostile record from deleting outside the project.
 */
export async function planEscapes(plan: Plan): Promise<Escape[]> {
  const root = plan.project.root;
  const workspace = plan.project.workspaceRoot ?? root;
  const candidates: { boundary: string; path: string; entryOnly?: boolean }[] = [
    ...plan.edits.map((edit) => ({ boundary: root, path: join(root, edit.path) })),
    ...plan.copies.map((copy) => ({ boundary: root, path: join(root, copy.path) })),
    ...plan.commands.flatMap((command) => command.touches.map((path) => ({ boundary: workspace, path }))),
    ...plan.removals.map((removal) => ({ boundary: workspace, path: join(root, removal), entryOnly: true })),
  ];
  const escapes: Escape[] = [];
  for (const { boundary, path, entryOnly } of candidates) {
    const target = entryOnly ? await entryTarget(boundary, path) : await writeTarget(boundary, path);
    const name = relative(root, path);
    if (target.kind === 'outside' && !escapes.some((known) => known.path === name)) escapes.push({ path: name, real: target.real });
  }
  return escapes;
}

/** One line per escape, for the refusal message. */
export function describeEscapes(escapes: Escape[]): string {
  return escapes.map((escape) => `${escape.path} leads outside the project, to ${escape.real}`).join('\n');
}

export interface ReadOnlyFile {
  path: string;
  mode: number;
}

/** Existing files the plan would modify that carry no write permission bit (the mode is kept on write). */
export async function readOnlyTargets(plan: Plan): Promise<ReadOnlyFile[]> {
  const found: ReadOnlyFile[] = [];
  for (const edit of plan.edits) {
    if (edit.before === null || edit.after === null) continue;
    const info = await stat(join(plan.project.root, edit.path)).catch(() => null);
    if (info?.isFile() && (info.mode & 0o222) === 0) found.push({ path: edit.path, mode: info.mode & 0o7777 });
  }
  return found;
}
