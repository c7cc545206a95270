import { CliError, ExitCode } from '../exit-codes.js';

// Placeholder until the install issue lands; replaced wholesale by its implementation.
export async function installCommand(_options: Record<string, unknown>): Promise<number> {
  throw new CliError('install is not implemented yet', ExitCode.failed);
}
