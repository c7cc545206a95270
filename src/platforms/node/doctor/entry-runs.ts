/** Node's entry-runs check: the entry must be on the start path (start-path.ts follows the imports from what package.json starts); Next.js loads its instrumentation file itself, React Router and Remix build their server entry, SvelteKit its hooks, Nitro its server plugins. */
import { fail, pass, warn, type Check } from '../../../doctor/check.js';
import type { DoctorContext } from '../../../doctor/context.js';
import { findStartPath } from './start-path.js';
import { svelteKitEntryRuns } from './sveltekit.js';
import { routerOf } from '../frameworks/routers.js';

export async function checkNodeEntryRuns(context: DoctorContext): Promise<Check> {
  const { project, wiring } = context;
  if (project.framework === 'next') {
    return pass('entry-runs', `Next.js loads ${wiring.entry} itself at start-up`);
  }
  const router = routerOf(project.framework);
  if (router) {
    return pass('entry-runs', `${router.name} builds ${wiring.entry} into its server build, which its server runs`);
  }
  if (project.framework === 'sveltekit') return svelteKitEntryRuns(context);
  if (project.framework === 'nuxt') {
    return pass('entry-runs', `Nitro runs ${wiring.entry} itself at start-up (a server plugin)`);
  }
  return checkNodeStartPath(project.root, wiring.entry);
}

/** An init in a file the start path never loads reports nothing: that is a failure, not a warning. */
async function checkNodeStartPath(root: string, entry: string): Promise<Check> {
  const path = await findStartPath(root, entry);
  const rewire = (file: string) => `make ${file} load ${entry}, or wire the file that starts: npx ez-pixel uninstall && npx ez-pixel install --entry ${file}`;
  switch (path.kind) {
    case 'on': {
      const chain = path.chain.length > 1 || path.chain[0] !== path.starter.path ? ` (${path.chain.join(' loads ')})` : '';
      return pass('entry-runs', `${entry} is on the start path: ${path.starter.via}${chain}`);
    }
    case 'no-starter':
      return warn('entry-runs', `package.json starts no file (no script runs one, no bin, main or exports), so nothing is known to run ${entry}`, `add a start script that runs ${entry} (or the file that loads it)`);
    case 'off': {
      const named = path.starters.slice(0, 3).map((starter) => starter.via).join('; ');
      const message = `${named}: none of these loads ${entry}, so its init never runs`;
      if (path.certain) return fail('entry-runs', message, rewire(path.startFile ?? path.starters[0]!.path));
      return warn('entry-runs', `${message}, as far as doctor can follow (${path.doubts.join('; ')})`, rewire(path.startFile ?? path.starters[0]!.path));
    }
  }
}
