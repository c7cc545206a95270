/**
 * `ez-pixel uninstall`: plans the inverse of what install recorded in .ez-pixel/install.json,
 * shows it, and applies it as the same kind of transaction.
 */
import { relative } from 'node:path';
import { CliError, ExitCode } from '../exit-codes.js';
import { planAsDiff, planAsJson, planSummary } from '../plan/render.js';
import { findInstalledRoots } from '../plan/find-install.js';
import { planUninstall } from '../plan/uninstall-plan.js';
import { applyWithProgress } from '../ui/apply-with-progress.js';
import { requireDirectory } from '../ui/project-dir.js';
import { confirmReadOnlyChanges, readOnlyChanged } from '../ui/read-only.js';
import { canPrompt, confirm, requireYesWithoutTty, say, select } from '../ui/terminal.js';

interface UninstallFlags {
  yes?: boolean;
  cwd: string;
  dryRun?: boolean;
  json?: boolean;
  verbose?: boolean;
}

export async function uninstallCommand(options: Record<string, unknown>): Promise<number> {
  const flags = options as unknown as UninstallFlags;
  requireYesWithoutTty('uninstall', flags);
  const interactive = canPrompt(flags);
  const root = await chooseRoot(await requireDirectory(flags.cwd), interactive);

  say.intro('ez-pixel uninstall');
  const planning = await planUninstall(root);
  if (planning.kind === 'not-installed') {
    if (flags.json) process.stdout.write(`${JSON.stringify({ status: 'not-installed', root })}\n`);
    say.outro(`ez-pixel is not installed in ${root} (no .ez-pixel/install.json): nothing to do.`);
    return ExitCode.ok;
  }
  if (planning.kind === 'refused') throw new CliError(planning.message, ExitCode.usage, 'nothing was changed');
  if (planning.kind === 'problem') throw new CliError(planning.message, ExitCode.failed, 'nothing was changed');

  const { plan } = planning;
  for (const note of plan.notes) say.warn(note);
  if (flags.dryRun) {
    process.stdout.write(flags.json ? planAsJson(plan, { status: 'planned' }) : planAsDiff(plan));
    say.outro('Dry run: nothing was changed.');
    return ExitCode.ok;
  }
  const readOnly = await confirmReadOnlyChanges(plan, interactive);
  if (interactive) {
    say.note(planSummary(plan).join('\n'), 'ez-pixel will');
    if (!(await confirm('Remove ez-pixel from this project?'))) throw new CliError('cancelled; nothing was changed', ExitCode.failed);
  }

  await applyWithProgress(plan, flags.verbose === true);
  if (flags.json) process.stdout.write(planAsJson(plan, { status: 'uninstalled' }));
  say.note(planSummary(plan).join('\n'), 'Changes');
  const readOnlyNote = readOnlyChanged(readOnly);
  if (readOnlyNote) say.warn(readOnlyNote);
  say.outro(plan.notes.length > 0 ? 'ez-pixel is removed; see the notes above.' : 'ez-pixel is removed.');
  return ExitCode.ok;
}

/** The --cwd itself, or the one wired project below it (a workspace member); several: ask or exit 2. */
async function chooseRoot(cwd: string, interactive: boolean): Promise<string> {
  const roots = findInstalledRoots(cwd);
  if (roots.length <= 1) return roots[0] ?? cwd;
  const choices = roots.map((root) => ({ label: relative(cwd, root), hint: 'has .ez-pixel/install.json', value: root }));
  if (interactive) return select('ez-pixel is installed in several projects here. Which one?', choices);
  throw new CliError('ez-pixel is installed in several projects here; pass --cwd <dir> to choose one', ExitCode.usage, choices.map((c) => `  ${c.label}`).join('\n'));
}
