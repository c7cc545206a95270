/**
 * Plans an uninstall from `.ez-pixel/install.json`: the inverse of what install recorded, in the
 * same Plan type. Anything the user changed after install (a marked line, a generated file, a
 * manifest) is reported in the notes and left alone, never guessed at.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { removeInit, type Removal } from '../inject/index.js';
import { removeCommand, STATE_DIR } from '../package-managers/commands.js';
import { committedLock, restoredLock, type LockRecord } from './lock-restore.js';
import type { Project } from '../project.js';
import { readText } from '../read-text.js';
import { platformNamed } from '../platforms/index.js';
import { initWiringFor } from '../templates/index.js';
import { inventoryHash } from './dir-inventory.js';
import { removeLine } from './line-file.js';
import type { FileEdit, Plan } from './plan.js';
import { emptiedDirs } from './made-dirs.js';
import { addedPackages, parseState, sha256, STATE_FILE, type InstallState } from './state.js';
import { describeEscapes, planEscapes } from './write-target.js';

export type UninstallPlanning =
  | { kind: 'plan'; plan: Plan; state: InstallState }
  | { kind: 'not-installed' }
  /** A file to edit is a symlink that leads out of the project: exit 2. */
  | { kind: 'refused'; message: string }
  | { kind: 'problem'; message: string };

export async function planUninstall(root: string): Promise<UninstallPlanning> {
  const read = (path: string): Promise<string | null> => readText(join(root, path));
  const stateRead = parseState(await read(STATE_FILE));
  if (stateRead.kind === 'none') return { kind: 'not-installed' };
  if (stateRead.kind === 'unreadable') return { kind: 'problem', message: stateRead.reason };
  const state = stateRead.state;
  const platform = platformNamed(state.project.runtime);
  // The record holds no machine's paths (older ones did): the workspace root (it bounds where
  // uninstall may delete, write-target.ts) and the interpreter are found again here, on this machine.
  const project: Project = { ...state.project, root, ...(await platform.locate(root, state.project)), evidence: [] };

  const edits: FileEdit[] = [];
  const notes: string[] = [];

  if (state.entry) {
    const wiring = initWiringFor(project, state.settings);
    const source = await read(state.entry.path);
    if (source === null) {
      notes.push(`${state.entry.path} no longer exists; nothing to take out of it`);
    } else {
      // An entry install created (React Router's server entry) and nobody changed since goes whole.
      const created = state.files.find((file) => file.path === state.entry?.path);
      const removal = created?.sha256 === sha256(source) ? { kind: 'remove' as const, after: null } : await removeInit(project, source, wiring);
      if (removal.kind === 'remove') edits.push({ path: state.entry.path, before: source, after: removal.after });
      if (removal.kind === 'manual') notes.push(`${state.entry.path}: ${removal.reason}; left alone:\n${removal.snippet}`);
    }
    edits.push(...(await planOtherRemovals(state.entry.hookFiles ?? [], (_path, source) => platform.removeHooks(source, wiring), read, notes)));
  }

  // A generated file the user's formatter rewrote (prettier --write, eslint --fix) is still ours.
  const { sameGenerated } = platform;
  const wired = sameGenerated !== null && (project.entry !== null || project.framework === 'next');
  const generated = new Map(wired ? initWiringFor(project, state.settings).files.map((file) => [file.path, file.content]) : []);
  for (const file of state.files) {
    if (file.path === state.entry?.path) continue; // removeInit decides about an entry install created
    const current = await read(file.path);
    if (current === null) continue;
    const template = generated.get(file.path);
    const reformatted = template !== undefined && sameGenerated !== null && sameGenerated(current, template);
    if (sha256(current) === file.sha256 || reformatted) edits.push({ path: file.path, before: current, after: null });
    else notes.push(`${file.path} was changed after install; left alone (delete it yourself if you no longer need it)`);
  }

  edits.push(...(await planLineRemovals(state.lines, read, notes)));

  edits.push(...(await planOtherRemovals(state.extraFiles ?? [], (path, source) => platform.removeExtraLines(project, path, source), read, notes)));

  const commands = [];
  const added = addedPackages(state);
  const dependency = added[0];
  const command = dependency ? removeCommand(project, added.map((sdk) => sdk.name)) : null;
  if (dependency && command) {
    commands.push(command);
    const manifest = await read(project.manifest);
    const beforeRemove = platform.manifestBeforeRemove(dependency.packageManager, manifest);
    if (beforeRemove !== null) edits.push({ path: project.manifest, before: manifest, after: beforeRemove, beforeCommands: true });
    edits.push(...(await planLockRestores(root, state.lockfiles ?? [], read)));
  }

  let manifestsRestored = true;
  for (const manifest of state.manifests) {
    const current = await read(manifest.path);
    if (current === manifest.before) continue;
    if (manifest.afterSha256 !== null && current !== null && sha256(current) === manifest.afterSha256) {
      edits.push({ path: manifest.path, before: current, after: manifest.before });
    } else {
      manifestsRestored = false;
      notes.push(`${manifest.path} changed after install; ${command ? `${command.display} updates it` : 'remove the ez-pixel dependency from it by hand'}`);
    }
  }

  const removals = [
    ...(await planStateDirRemoval(root, state, edits, notes)),
    ...(await planCreatedDirRemovals(root, state.createdDirs, manifestsRestored, notes)),
    ...(await emptiedDirs(root, state.madeDirs ?? [], edits.filter((edit) => edit.after === null).map((edit) => edit.path))),
  ];
  const plan: Plan = { action: 'uninstall', project, copies: [], commands, edits, removals, notes };
  const escapes = await planEscapes(plan);
  if (escapes.length > 0) {
    return { kind: 'refused', message: `ez-pixel does not write through a symlink that leads out of the project:\n${describeEscapes(escapes)}` };
  }
  return { kind: 'plan', plan, state };
}

/**
 * Each recorded lockfile as it was committed before install, written after the remove command and
 * only when the lock that command wrote resolves the same packages (lock-restore.ts).
 */
async function planLockRestores(root: string, locks: LockRecord[], read: (path: string) => Promise<string | null>): Promise<FileEdit[]> {
  const edits: FileEdit[] = [];
  for (const lock of locks) {
    const current = await read(lock.path);
    if (current === null) continue;
    const committed = await committedLock(root, lock);
    if (committed === null) continue;
    edits.push({
      path: lock.path,
      before: current,
      after: committed,
      finalAfter: async () => restoredLock(root, lock, (await read(lock.path)) ?? current),
    });
  }
  return edits;
}

/**
 * What install put into .ez-pixel/ (the record, the artifact, the .gitignore) goes; the folder
 * itself only when nothing else is left in it, such as `ez-pixel listen`'s events.jsonl.
 */
async function planStateDirRemoval(root: string, state: InstallState, edits: FileEdit[], notes: string[]): Promise<string[]> {
  const deleted = new Set([STATE_FILE, ...edits.filter((edit) => edit.after === null).map((edit) => edit.path)]);
  for (const added of addedPackages(state)) if (added.artifact) deleted.add(added.artifact);
  const entries = await readdir(join(root, STATE_DIR)).catch(() => []);
  const left = entries.filter((name) => !deleted.has(`${STATE_DIR}/${name}`));
  if (left.length === 0) return [STATE_DIR];
  notes.push(`${STATE_DIR}/ still holds ${left.join(', ')} (ez-pixel listen's events, or your own files); left in place`);
  return [...deleted].filter((path) => path.startsWith(`${STATE_DIR}/`) && existsSync(join(root, path)) && !edits.some((edit) => edit.path === path));
}

/**
 * A node_modules/.venv/.yarn install created goes only while it holds just what install put
 * there (its inventory hash is unchanged) and the manifests are back as they were; otherwise
 * it may hold the user's packages or caches, so it stays, with a note.
 */
async function planCreatedDirRemovals(root: string, dirs: InstallState['createdDirs'], manifestsRestored: boolean, notes: string[]): Promise<string[]> {
  const removals: string[] = [];
  for (const dir of dirs) {
    const path = join(root, dir.path);
    if (!existsSync(path)) continue;
    const why = !manifestsRestored
      ? 'the manifests changed since'
      : dir.contentsSha256 === null
        ? 'the install record does not say what it held'
        : (await inventoryHash(path)) !== dir.contentsSha256
          ? 'now holds more than ez-pixel put there'
          : null;
    if (why === null) removals.push(dir.path);
    else notes.push(`${dir.path}/ was created by install but ${why}; left alone: delete it yourself if you no longer need it`);
  }
  return removals;
}

/**
 * Takes our lines out of files other than the entry: the request-error hooks where the app is
 * created (Node), the init line of each Streamlit page (Python), the client init in a full-stack
 * framework's root layout; `remove` is the platform's own removal for that kind of file.
 */
async function planOtherRemovals(paths: string[], remove: (path: string, source: string) => Promise<Removal>, read: (path: string) => Promise<string | null>, notes: string[]): Promise<FileEdit[]> {
  const edits: FileEdit[] = [];
  for (const path of paths) {
    const before = await read(path);
    if (before === null) continue;
    const removal = await remove(path, before);
    if (removal.kind === 'manual') notes.push(`${path}: ${removal.reason}; left alone:\n${removal.snippet}`);
    if (removal.kind === 'remove') edits.push({ path, before, after: removal.after });
  }
  return edits;
}

/** Takes our lines out of .env and the requirements file; a file install created and that is now empty is deleted. */
async function planLineRemovals(lines: InstallState['lines'], read: (path: string) => Promise<string | null>, notes: string[]): Promise<FileEdit[]> {
  const edits: FileEdit[] = [];
  for (const file of new Set(lines.map((line) => line.file))) {
    const before = await read(file);
    if (before === null) continue;
    let after = before;
    const ours = lines.filter((line) => line.file === file);
    for (const { line } of ours) {
      const without = removeLine(after, line);
      if (without === null) notes.push(`${file}: "${line}" was changed or removed after install; left alone`);
      else after = without;
    }
    const created = ours.every((line) => line.createdFile);
    if (created && after === '') edits.push({ path: file, before, after: null });
    else if (after !== before) edits.push({ path: file, before, after });
  }
  return edits;
}
