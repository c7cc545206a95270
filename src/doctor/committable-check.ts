/**
 * `.ez-pixel/` must reach every other clone: the lockfile installs the SDK from the artifact in
 * it, and uninstall reads install.json from it. A file git ignores there (GitHub's Node template
 * ignores *.tgz; some projects ignore dot-folders) is a teammate's failed install.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { STATE_DIR } from '../package-managers/sdk.js';
import type { Project } from '../project.js';
import { fail, pass, type Check } from './check.js';

/** What must be committed: the record and any bundled SDK artifact. */
const MUST_COMMIT = /^(install\.json|.+\.(tgz|whl))$/;

export async function checkCommittable(project: Project): Promise<Check> {
  const names = await readdir(join(project.root, STATE_DIR)).catch(() => [] as string[]);
  const paths = names.filter((name) => MUST_COMMIT.test(name)).map((name) => `${STATE_DIR}/${name}`);
  if (paths.length === 0) return pass('committable', `${STATE_DIR}/ holds nothing that must be committed`);
  // Exit 1: none is ignored; 128: not a git repository. -v would also list paths a `!` rule re-includes, so it only names the rules.
  const run = await execa('git', ['check-ignore', '--', ...paths], { cwd: project.root, reject: false });
  if (run.exitCode === 1) return pass('committable', `${paths.join(', ')} can be committed (git ignores none of them)`);
  if (run.exitCode !== 0) return pass('committable', 'not a git repository: nothing to commit');
  const rules = await execa('git', ['check-ignore', '-v', '--', ...String(run.stdout).split('\n').filter(Boolean)], { cwd: project.root, reject: false });
  const ignored = String(rules.stdout).split('\n').filter(Boolean).map((line) => {
    const [rule = '', path = ''] = line.split('\t');
    return { path, rule };
  });
  const listing = ignored.map(({ path, rule }) => `${path} (by ${rule})`).join(', ');
  const artifacts = ignored.filter(({ path }) => /\.(tgz|whl)$/.test(path)).length > 0;
  const fix = ignored.some(({ rule }) => rule.includes(`${STATE_DIR}`) && !rule.startsWith(`${STATE_DIR}/.gitignore`))
    ? `remove the rule that ignores ${STATE_DIR}/ (named above), then git add ${STATE_DIR}`
    : `add ${artifacts ? '"!*.tgz" and "!*.whl"' : `"!${ignored[0]?.path.slice(STATE_DIR.length + 1)}"`} to ${STATE_DIR}/.gitignore, then git add ${STATE_DIR}`;
  return fail('committable', `git ignores ${listing}: another clone could not install the SDK or uninstall`, fix);
}
