/** Exit codes are part of the CLI's interface; the README documents them. */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  nothingToInstrument: 3,
  installRolledBack: 4,
  manualWiringNeeded: 5,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An expected failure: the CLI prints `message` (and `detail`, if any) and exits with `code`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code: ExitCode,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
