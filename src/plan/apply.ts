/**
 * Applies a Plan as a transaction: snapshot every file the plan or its package manager may
 * touch; copy the artifacts, run the commands, write the edits (atomically), delete the removals;
 * and on any failure, including SIGINT or SIGTERM while the manager runs, restore every byte and
 * remove everything that is new.
 */
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { encodeText, readText } from '../read-text.js';
import type { Command, FileEdit, Plan } from './plan.js';
import { runCommand, type CommandRun } from './run-command.js';
import { restoreSnapshot, takeSnapshot } from './snapshot.js';
import { writeFileAtomic } from './write-atomic.js';
import { writeTarget } from './write-target.js';

export type ApplyResult =
  | { kind: 'applied'; runs: CommandRun[] }
  /** A file changed between planning and applying; nothing was written. */
  | { kind: 'conflict'; path: string }
  | {
      kind: 'rolled-back';
      cause: 'command-failed' | 'interrupted' | 'write-failed';
      command: Command | null;
      run: CommandRun | null;
      error: string | null;
      /** Paths that could not be restored (empty when the rollback was complete). */
      restoreProblems: string[];
    };

export interface ApplyHooks {
  verbose: boolean;
  onCommandStart?: (command: Command) => void;
  onCommandEnd?: (command: Command, run: CommandRun) => void;
}

class Interrupted extends Error {}
class CommandFailed extends Error {
  constructor(
    readonly command: Command,
    readonly run: CommandRun,
  ) {
    super(`${command.display} failed`);
  }
}

/** The real file behind a project path (a symlink inside the project is edited at its target, and stays a link). */
async function realInside(root: string, path: string): Promise<string> {
  const target = await writeTarget(root, join(root, path));
  if (target.kind === 'outside') throw new Error(`${path} leads outside the project (to ${target.real}); ez-pixel does not write there`);
  return target.real;
}

async function writeEdit(root: string, edit: FileEdit): Promise<void> {
  const path = await realInside(root, edit.path);
  const after = edit.finalAfter ? await edit.finalAfter() : edit.after;
  if (after === null) return rm(path, { force: true });
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, encodeText(after));
}

export async function applyPlan(plan: Plan, hooks: ApplyHooks): Promise<ApplyResult> {
  const root = plan.project.root;
  const absolute = (path: string): string => join(root, path);

  for (const edit of plan.edits) {
    if ((await readText(absolute(edit.path))) !== edit.before) return { kind: 'conflict', path: edit.path };
  }

  const snapshot = await takeSnapshot(
    root,
    [
      ...plan.copies.map((c) => absolute(c.path)),
      ...plan.edits.map((e) => absolute(e.path)),
      ...plan.commands.flatMap((c) => c.touches),
    ],
    plan.commands.flatMap((c) => c.creates),
  );

  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const checkInterrupt = (): void => {
    if (abort.signal.aborted) throw new Interrupted('interrupted');
  };

  const runs: CommandRun[] = [];
  const setAside = new SetAside();
  try {
    for (const copy of plan.copies) {
      checkInterrupt();
      const path = await realInside(root, copy.path);
      await mkdir(dirname(path), { recursive: true });
      await copyFile(copy.from, path);
    }
    for (const edit of plan.edits.filter((e) => e.beforeCommands)) {
      checkInterrupt();
      await writeEdit(root, edit);
    }
    for (const command of plan.commands) {
      checkInterrupt();
      hooks.onCommandStart?.(command);
      const run = await runCommand(command, { abort: abort.signal, verbose: hooks.verbose });
      hooks.onCommandEnd?.(command, run);
      runs.push(run);
      if (run.interrupted) throw new Interrupted('interrupted');
      if (!run.ok) throw new CommandFailed(command, run);
    }
    for (const edit of plan.edits.filter((e) => !e.beforeCommands)) {
      checkInterrupt();
      await writeEdit(root, edit);
    }
    for (const removal of plan.removals) {
      checkInterrupt();
      await setAside.remove(absolute(removal));
    }
    checkInterrupt();
    await setAside.commit();
    return { kind: 'applied', runs };
  } catch (error) {
    const restoreProblems = [...(await restoreSnapshot(snapshot)), ...(await setAside.undo())];
    if (error instanceof CommandFailed) {
      return { kind: 'rolled-back', cause: 'command-failed', command: error.command, run: error.run, error: null, restoreProblems };
    }
    const last = runs.at(-1) ?? null;
    if (error instanceof Interrupted) {
      return { kind: 'rolled-back', cause: 'interrupted', command: null, run: last, error: null, restoreProblems };
    }
    return { kind: 'rolled-back', cause: 'write-failed', command: null, run: null, error: (error as Error).message, restoreProblems };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * Removals (whole directories such as .ez-pixel or a node_modules install created) are renamed
 * aside, not copied: cheap for big trees, undone by renaming back, deleted for good on commit.
 */
class SetAside {
  private moved: { from: string; to: string }[] = [];

  async remove(path: string): Promise<void> {
    const to = join(dirname(path), `.${basename(path)}.ez-pixel-removed-${process.pid}`);
    try {
      await rename(path, to);
      this.moved.push({ from: path, to });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  async commit(): Promise<void> {
    for (const { to } of this.moved) await rm(to, { recursive: true, force: true });
  }

  /** Puts everything back; returns the paths it could not. */
  async undo(): Promise<string[]> {
    const problems: string[] = [];
    for (const { from, to } of this.moved.reverse()) {
      await rename(to, from).catch((error: Error) => problems.push(`${from}: ${error.message}`));
    }
    return problems;
  }
}
