/**
 * Read-only files a plan modifies (an entry checked out 0444, say): asked about on a terminal,
 * announced under --yes. Their mode is kept when they are written (write-atomic.ts).
 */
import { CliError, ExitCode } from '../exit-codes.js';
import type { Plan } from '../plan/plan.js';
import { readOnlyTargets, type ReadOnlyFile } from '../plan/write-target.js';
import { confirm, say } from './terminal.js';

const describe = (files: ReadOnlyFile[]): string => files.map((file) => `${file.path} (mode ${file.mode.toString(8).padStart(4, '0')})`).join(', ');

/** Asks before changing read-only files (or, without prompts, says it will); returns them for the summary. */
export async function confirmReadOnlyChanges(plan: Plan, interactive: boolean): Promise<ReadOnlyFile[]> {
  const files = await readOnlyTargets(plan);
  if (files.length === 0) return files;
  if (interactive) {
    if (!(await confirm(`${describe(files)} ${files.length === 1 ? 'is' : 'are'} read-only. Change anyway (the mode is kept)?`))) {
      throw new CliError('cancelled; nothing was changed', ExitCode.failed);
    }
  } else {
    say.warn(`${describe(files)} ${files.length === 1 ? 'is' : 'are'} read-only; changing ${files.length === 1 ? 'it' : 'them'} because of --yes (the mode is kept)`);
  }
  return files;
}

/** The line for the summary after applying, or null when no read-only file was changed. */
export function readOnlyChanged(files: ReadOnlyFile[]): string | null {
  return files.length === 0 ? null : `Changed the read-only ${files.length === 1 ? 'file' : 'files'} ${describe(files)}; the mode is kept`;
}
