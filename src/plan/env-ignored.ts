/**
 * install creates .env to hold the project key; in a git repository that does not ignore .env,
 * the next `git add .` commits it. Said as a warning (the key is not a secret that grants
 * access, but .env usually becomes one); outside git there is nothing to say.
 */
import { execa } from 'execa';
import { ENV_FILE } from './dotenv.js';

export async function envNotIgnoredNote(root: string): Promise<string | null> {
  // Exit 0: ignored; 1: not ignored; 128: not a git repository.
  const run = await execa('git', ['check-ignore', '-q', '--', ENV_FILE], { cwd: root, reject: false });
  return run.exitCode === 1 ? `${ENV_FILE} is created here but git does not ignore it: add ${ENV_FILE} to .gitignore before you commit` : null;
}
