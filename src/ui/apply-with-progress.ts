/**
 * Runs applyPlan with a spinner showing each package-manager command, and turns its result
 * into the user-facing outcome: the rollback message, the failing command's last output lines
 * and the path of the full log.
 */
import { applyPlan, type ApplyResult } from '../plan/apply.js';
import type { Plan } from '../plan/plan.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { say, spinner } from './terminal.js';

export async function applyWithProgress(plan: Plan, verbose: boolean): Promise<Extract<ApplyResult, { kind: 'applied' }>> {
  // An animated spinner only makes sense on a terminal (and not while --verbose streams output).
  const animated = process.stderr.isTTY === true && !verbose;
  const progress = animated ? spinner() : null;
  const result = await applyPlan(plan, {
    verbose,
    onCommandStart: (command) => (progress ? progress.start(`Running ${command.display}`) : say.step(`Running ${command.display}`)),
    onCommandEnd: (command, run) => {
      const outcome = run.ok ? `Ran ${command.display}` : `${command.display} ${run.interrupted ? 'was interrupted' : 'failed'}`;
      if (!progress) return run.ok ? say.success(outcome) : say.error(outcome);
      if (run.ok) progress.stop(outcome);
      else progress.error(outcome);
    },
  });
  if (result.kind === 'applied') return result;
  if (result.kind === 'conflict') {
    throw new CliError(`${result.path} changed while ez-pixel was planning; nothing was written. Run it again.`, ExitCode.failed);
  }

  const restored =
    result.restoreProblems.length === 0
      ? 'every file was restored to what it was before'
      : `these could not be restored:\n${result.restoreProblems.join('\n')}`;
  const run = result.run;
  const details = [
    result.command ? `command: ${result.command.display}  (in ${result.command.cwd})` : null,
    run?.startError ? `it could not start: ${run.startError}` : null,
    run && !run.startError && run.exitCode !== null && !run.interrupted ? `exit code ${run.exitCode}` : null,
    run && run.tail.length > 0 ? `last output:\n${run.tail.map((line) => `  ${line}`).join('\n')}` : null,
    run ? `full log: ${run.logPath}` : null,
    result.error ? `error: ${result.error}` : null,
  ].filter((line): line is string => line !== null);
  say.error(details.join('\n'));
  const what =
    result.cause === 'interrupted' ? 'interrupted' : result.cause === 'command-failed' ? (result.command?.failure ?? 'the package install failed') : 'a write failed';
  throw new CliError(`${what}; ${restored}`, result.cause === 'write-failed' ? ExitCode.failed : ExitCode.installRolledBack);
}
