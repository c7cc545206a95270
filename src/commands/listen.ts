import { CliError, ExitCode } from '../exit-codes.js';

// Placeholder until the listen issue lands; replaced wholesale by its implementation.
export async function listenCommand(_options: Record<string, unknown>): Promise<number> {
  throw new CliError('listen is not implemented yet', ExitCode.failed);
}
