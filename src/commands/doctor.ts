import { CliError, ExitCode } from '../exit-codes.js';

// Placeholder until the doctor issue lands; replaced wholesale by its implementation.
export async function doctorCommand(_options: Record<string, unknown>): Promise<number> {
  throw new CliError('doctor is not implemented yet', ExitCode.failed);
}
