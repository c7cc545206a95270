/** Uncommitted changes in the project's git tree, so install can warn before adding its own. */
import { execa } from 'execa';

/** `git status --porcelain` lines, or [] when the directory is not in a git repository. */
export async function uncommittedFiles(dir: string): Promise<string[]> {
  const status = await execa('git', ['status', '--porcelain', '--untracked-files=normal', '.'], { cwd: dir, reject: false });
  if (status.exitCode !== 0) return [];
  return String(status.stdout).split('\n').filter((line) => line.trim() !== '');
}
