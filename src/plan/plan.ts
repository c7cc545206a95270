/**
 * The Plan: everything `install` or `uninstall` would change, as a plain value. Planning writes
 * nothing; `--dry-run` renders a Plan as a diff, `--json` prints it as data, and apply.ts
 * carries it out as a transaction. Install and uninstall share this one type.
 */
import type { Project } from '../project.js';

/** A text file change, relative to the project root: `before` null creates, `after` null deletes. */
export interface FileEdit {
  path: string;
  before: string | null;
  after: string | null;
  /**
   * The install record only: its final text depends on what the commands wrote (manifest hashes),
   * so apply computes it after them, inside the transaction. `after` is the planned text, for showing.
   */
  finalAfter?: () => Promise<string>;
  /** Written before the commands run, because they read it (a manifest the package manager then locks). */
  beforeCommands?: boolean;
}

/** A binary file copied in (the SDK artifact into `.ez-pixel/`); `from` is absolute. */
export interface FileCopy {
  path: string;
  from: string;
}

/** A package-manager run. `argv` is never joined into a shell string. */
export interface Command {
  argv: string[];
  /** Absolute directory the command runs in. */
  cwd: string;
  /** The command as shown to the user. */
  display: string;
  /** Extra environment for this command only (e.g. yarn berry's immutable-install switch). */
  env: Record<string, string>;
  /** Absolute paths of files the command may rewrite: snapshotted so a failure restores them. */
  touches: string[];
  /** Absolute paths of directories the command may create (node_modules, .venv): removed on failure if new. */
  creates: string[];
  /** What it means when this command fails, when that is not "the package install failed" (an import check). */
  failure?: string;
}

export interface Plan {
  action: 'install' | 'uninstall';
  project: Project;
  /** Binary files copied in first, so the commands can install from them. */
  copies: FileCopy[];
  /** Commands run after the copies and before the edits. */
  commands: Command[];
  /**
   * Text edits, written after the commands (so a restored manifest wins over the manager's rewrite),
   * except those marked beforeCommands.
   */
  edits: FileEdit[];
  /** Files or directories (relative to the root) deleted last, with everything inside them. */
  removals: string[];
  /** Things the user should know: warnings, lines left alone, values kept. */
  notes: string[];
}

export function isEmptyPlan(plan: Plan): boolean {
  return plan.copies.length + plan.commands.length + plan.edits.length + plan.removals.length === 0;
}
