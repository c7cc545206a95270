/**
 * React Router's framework mode (7.x, @react-router/dev): it bundles app/ for the server and the
 * browser alike and catches what loaders, actions and rendering throw, so the init goes into the
 * one module only the server bundle holds, app/entry.server, and its handleError export reports.
 * An existing entry is used; otherwise it is to be created from the framework's default.
 */
import type { NodeFacts } from '../detect/facts.js';
import { found, type FrameworkDetector } from '../../../detectors/types.js';

const serverEntries = ['tsx', 'jsx', 'ts', 'js'].map((ext) => `app/entry.server.${ext}`);

export const reactRouter: FrameworkDetector<NodeFacts> = {
  runtime: 'node',
  framework: 'react-router',
  moduleSystem: { value: 'esm', evidence: [{ about: 'module', says: 'React Router bundles app/ as ES modules' }] },

  async detect(facts) {
    return facts.dependencies.has('@react-router/dev') ? [{ about: 'framework', says: 'package.json depends on @react-router/dev (React Router framework mode)' }] : null;
  },

  async entry(facts) {
    const existing = await facts.files.firstFile(serverEntries);
    if (existing) return found(existing, [{ about: 'entry', says: `${existing} exists (React Router's server entry)` }]);
    const file = `app/entry.server.${facts.typescript ? 'tsx' : 'jsx'}`;
    return found(file, [{ about: 'entry', says: `${file} is to be created from React Router's default server entry (the app has none)` }]);
  },
};
