/**
 * The interactive side of install and uninstall: whether we may prompt, and the clack prompts,
 * all on stderr so stdout carries only data (--json, the --dry-run diff).
 */
import * as clack from '@clack/prompts';
import { CliError, ExitCode } from '../exit-codes.js';

const output = process.stderr;

/**
 * Prompts need a terminal on both ends (they are drawn on stderr, so --json's stdout stays data);
 * --yes and --dry-run never prompt.
 */
export function canPrompt(options: { yes?: boolean; dryRun?: boolean }): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY && !options.yes && !options.dryRun);
}

/**
 * Without a TTY and without --yes there is no one to ask: fail at once, naming the flag. A dry
 * run changes nothing, so it needs no confirmation.
 */
export function requireYesWithoutTty(command: string, options: { yes?: boolean; dryRun?: boolean }): void {
  if (options.yes || options.dryRun) return;
  if (process.stdin.isTTY && process.stderr.isTTY) return;
  throw new CliError(`no terminal to ask questions on: run ez-pixel ${command} --yes to proceed without prompts`, ExitCode.usage);
}

function cancelled(): never {
  clack.cancel('Cancelled; nothing was changed.', { output });
  throw new CliError('cancelled', ExitCode.failed);
}

export async function select<T>(message: string, choices: { label: string; hint: string; value: T }[]): Promise<T> {
  const answer = await clack.select({
    message,
    output,
    options: choices.map((choice, index) => ({ value: index, label: choice.label, hint: choice.hint })),
  });
  if (clack.isCancel(answer)) cancelled();
  return (choices[answer as number] as { value: T }).value;
}

export async function confirm(message: string): Promise<boolean> {
  const answer = await clack.confirm({ message, output });
  if (clack.isCancel(answer)) cancelled();
  return answer === true;
}

export const say = {
  intro: (title: string): void => clack.intro(title, { output }),
  outro: (text: string): void => clack.outro(text, { output }),
  step: (text: string): void => clack.log.step(text, { output }),
  info: (text: string): void => clack.log.info(text, { output }),
  warn: (text: string): void => clack.log.warn(text, { output }),
  error: (text: string): void => clack.log.error(text, { output }),
  success: (text: string): void => clack.log.success(text, { output }),
  note: (text: string, title: string): void => clack.note(text, title, { output }),
};

export function spinner(): ReturnType<typeof clack.spinner> {
  return clack.spinner({ output });
}
