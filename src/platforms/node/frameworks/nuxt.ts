/**
 * Nuxt 3 and 4: Nitro serves the app and runs every file in server/plugins/ at start-up, so the
 * init goes into a server plugin of ours, created whole (no file of the app is edited). Where
 * server/ and the client plugin's plugins/ are is nuxt-dirs.ts's answer.
 */
import { posix } from 'node:path';
import type { Evidence } from '../../../project.js';
import type { NodeFacts } from '../detect/facts.js';
import { nuxtConfigs, nuxtDirs } from '../detect/nuxt-dirs.js';
import { found, type FrameworkDetector } from '../../../detectors/types.js';

/** The server plugin install creates (or finds): the file Nitro loads, and the init's entry. */
export function nuxtServerPlugin(root: string, typescript: boolean): string {
  return posix.join(nuxtDirs(root).serverDir, 'plugins', `ez-pixel.${typescript ? 'ts' : 'js'}`);
}

export const nuxt: FrameworkDetector<NodeFacts> = {
  runtime: 'node',
  framework: 'nuxt',
  moduleSystem: { value: 'esm', evidence: [{ about: 'module', says: 'Nitro bundles server plugins as ES modules' }] },

  async detect(facts) {
    if (!facts.dependencies.has('nuxt')) return null;
    const evidence: Evidence[] = [{ about: 'framework', says: 'package.json depends on nuxt' }];
    const config = await facts.files.firstFile(nuxtConfigs);
    if (config) evidence.push({ about: 'framework', says: `${config} exists` });
    return evidence;
  },

  async entry(facts) {
    const dirs = nuxtDirs(facts.files.root);
    const existing = await facts.files.firstFile(['ts', 'js'].map((ext) => posix.join(dirs.serverDir, 'plugins', `ez-pixel.${ext}`)));
    const file = existing ?? nuxtServerPlugin(facts.files.root, facts.typescript);
    const says = existing ? `${file} exists (a Nitro server plugin)` : `${file} is to be created (Nitro runs server/plugins/ at start-up)`;
    return found(file, [
      { about: 'entry', says },
      { about: 'entry', says: `the client plugin goes into ${posix.join(dirs.srcDir, 'plugins')}/ (${dirs.why})` },
    ]);
  },
};
