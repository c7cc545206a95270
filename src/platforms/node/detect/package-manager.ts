/**
 * The JS package manager, through package-manager-detector's tables: at the project and then each
 * parent up to the repository root, the first directory with a lockfile or a `packageManager` /
 * `devEngines` field decides. A `packageManager` field is a declaration and wins; two lockfiles of
 * different managers and no declaration is a conflict the user settles with --pm.
 */
import { join, relative } from 'node:path';
import { LOCKS } from 'package-manager-detector/constants';
import { detect as detectAgent } from 'package-manager-detector/detect';
import type { Evidence, JsPackageManager } from '../../../project.js';
import { ancestorsWithinRepository } from '../../../detectors/ancestors.js';
import { asString, ProjectFiles } from '../../../detectors/project-files.js';
import { found, type Outcome } from '../../../detectors/types.js';

/** package-manager-detector's agents → ours; agents missing here (deno...) are not supported. */
const agents: Record<string, JsPackageManager> = {
  npm: 'npm',
  pnpm: 'pnpm',
  'pnpm@6': 'pnpm',
  'pnpm-rush': 'pnpm',
  yarn: 'yarn',
  'yarn@berry': 'yarn-berry',
  bun: 'bun',
};

export async function detectJsPackageManager(root: string): Promise<Outcome<JsPackageManager>> {
  for (const dir of await ancestorsWithinRepository(root)) {
    const where = (file: string) => relative(root, join(dir, file)).replace(/\\/g, '/') || file;
    const files = new ProjectFiles(dir);
    const lockfiles = await presentLockfiles(files);
    const declared = await detectAgent({ cwd: dir, stopDir: dir, strategies: ['packageManager-field', 'devEngines-field'] });
    const declaredPm = declared ? agents[declared.agent] : undefined;

    if (declared && declaredPm) {
      const field = asString((await files.json('package.json'))?.packageManager);
      const says = field ? `${where('package.json')} packageManager is ${field}` : `${where('package.json')} devEngines names ${declared.name}`;
      const evidence: Evidence[] = [{ about: 'packageManager', says }];
      const others = lockfiles.filter((lock) => lock.pm !== declaredPm && !(lock.pm === 'yarn' && declaredPm === 'yarn-berry'));
      for (const lock of others) evidence.push({ about: 'packageManager', says: `${where(lock.file)} ignored: package.json declares the package manager` });
      return found(declaredPm, evidence);
    }
    if (lockfiles.length === 0) continue;

    const byPm = new Map<JsPackageManager, string[]>();
    for (const lock of lockfiles) {
      const pm = lock.pm === 'yarn' && (await isBerry(files)) ? 'yarn-berry' : lock.pm;
      byPm.set(pm, [...(byPm.get(pm) ?? []), where(lock.file)]);
    }
    const evidence: Evidence[] = [...byPm].map(([pm, locks]) => ({ about: 'packageManager', says: `${locks.join(' and ')} ${locks.length > 1 ? 'are' : 'is'} ${pm}'s` }));
    if (byPm.size === 1) return found([...byPm.keys()][0]!, evidence);
    return {
      ambiguous: {
        candidates: [...byPm].map(([pm, locks]) => ({ value: pm, because: locks.join(', ') })),
        evidence,
      },
    };
  }
  return found('npm', [{ about: 'packageManager', says: 'no lockfile and no packageManager field: npm by default' }]);
}

/** package-manager-detector's lockfile table, reduced to the managers we support. */
const lockfiles = Object.entries(LOCKS).flatMap(([file, agent]) => (agents[agent] ? [{ file, pm: agents[agent] }] : []));

async function presentLockfiles(files: ProjectFiles): Promise<Array<{ file: string; pm: JsPackageManager }>> {
  const present = await Promise.all(lockfiles.map((lock) => files.isFile(lock.file)));
  return lockfiles.filter((_, i) => present[i]);
}

/** Yarn 2+ writes `__metadata:` into yarn.lock and reads .yarnrc.yml; yarn 1 does neither. */
async function isBerry(files: ProjectFiles): Promise<boolean> {
  if (await files.isFile('.yarnrc.yml')) return true;
  const lock = (await files.text('yarn.lock')) ?? '';
  return /^__metadata:/m.test(lock);
}
