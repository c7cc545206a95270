/**
 * Next.js: the init lives in instrumentation.ts (or .js), at the root or in src/ when the app
 * keeps its app/ or pages/ directory there. An existing one is used; otherwise it is to be created.
 */
import type { Evidence } from '../../../project.js';
import type { NodeFacts } from '../detect/facts.js';
import { found, type FrameworkDetector } from '../../../detectors/types.js';

const instrumentationFiles = ['ts', 'js', 'mjs', 'mts'].flatMap((ext) => [`instrumentation.${ext}`, `src/instrumentation.${ext}`]);
const nextConfigs = ['next.config.js', 'next.config.mjs', 'next.config.ts', 'next.config.cjs'];

export const next: FrameworkDetector<NodeFacts> = {
  runtime: 'node',
  framework: 'next',
  moduleSystem: { value: 'esm', evidence: [{ about: 'module', says: 'Next.js bundles instrumentation files as ES modules' }] },

  async detect(facts) {
    const evidence: Evidence[] = [];
    if (facts.dependencies.has('next')) evidence.push({ about: 'framework', says: 'package.json depends on next' });
    const config = await facts.files.firstFile(nextConfigs);
    if (config) evidence.push({ about: 'framework', says: `${config} exists` });
    return facts.dependencies.has('next') ? evidence : null;
  },

  async entry(facts) {
    const existing = await facts.files.firstFile(instrumentationFiles);
    if (existing) return found(existing, [{ about: 'entry', says: `${existing} exists (Next.js instrumentation hook)` }]);
    const [rootApp, rootPages, srcApp, srcPages] = await Promise.all(
      ['app', 'pages', 'src/app', 'src/pages'].map((dir) => facts.files.isDirectory(dir)),
    );
    const usesSrc = (srcApp || srcPages) && !(rootApp || rootPages);
    const file = `${usesSrc ? 'src/' : ''}instrumentation.${facts.typescript ? 'ts' : 'js'}`;
    const where = usesSrc ? 'the app lives in src/' : 'the app lives at the root';
    return found(file, [{ about: 'entry', says: `${file} is to be created (Next.js instrumentation hook; ${where})` }]);
  },
};
