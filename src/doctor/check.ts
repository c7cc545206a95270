/**
 * A doctor check: one link of the chain from the manifest to a delivered event. Checks are values;
 * the command renders them and derives the exit code from them.
 */
export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface Check {
  id: string;
  status: CheckStatus;
  /** One line of evidence. */
  message: string;
  /** One line saying how to fix it (a command or a snippet); null when the check passes. */
  fix: string | null;
}

export const pass = (id: string, message: string): Check => ({ id, status: 'pass', message, fix: null });
export const warn = (id: string, message: string, fix: string): Check => ({ id, status: 'warn', message, fix });
export const fail = (id: string, message: string, fix: string): Check => ({ id, status: 'fail', message, fix });
