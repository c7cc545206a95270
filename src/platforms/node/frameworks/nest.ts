/** NestJS: the entry is nest-cli.json's sourceRoot/entryFile, by default src/main.ts. */
import type { NodeFacts } from '../detect/facts.js';
import { findNodeEntry } from '../detect/entry.js';
import { asObject, asString } from '../../../detectors/project-files.js';
import { found, type FrameworkDetector } from '../../../detectors/types.js';

export const nest: FrameworkDetector<NodeFacts> = {
  runtime: 'node',
  framework: 'nest',

  async detect(facts) {
    return facts.runtimeDependencies.has('@nestjs/core') ? [{ about: 'framework', says: 'package.json depends on @nestjs/core' }] : null;
  },

  async entry(facts) {
    const cli = asObject(await facts.files.json('nest-cli.json')) ?? {};
    const sourceRoot = (asString(cli.sourceRoot) ?? 'src').replace(/\/$/, '');
    const entryFile = asString(cli.entryFile) ?? 'main';
    const file = `${sourceRoot}/${entryFile}.ts`;
    if (await facts.files.isFile(file)) {
      const why = cli.sourceRoot || cli.entryFile ? 'nest-cli.json sourceRoot/entryFile' : 'the NestJS default';
      return found(file, [{ about: 'entry', says: `${file} is the NestJS bootstrap file (${why})` }]);
    }
    return findNodeEntry(facts);
  },
};
