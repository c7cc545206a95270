import { CliError, ExitCode } from '../exit-codes.js';

// Placeholder until the uninstall issue lands; replaced wholesale by its implementation.
export async function uninstallCommand(_options: Record<string, unknown>): Promise<number> {
  throw new CliError('uninstall is not implemented yet', ExitCode.failed);
}
