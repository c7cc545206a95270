/**
 * React Router's framework mode (7.x, @react-router/dev) and Remix v2 (@remix-run/dev): each
 * bundles app/ for the server and the browser alike and catches what loaders, actions and
 * rendering throw, so the init goes into the one module only the server bundle holds,
 * app/entry.server, and its handleError export reports. An existing entry is used; otherwise it is
 * to be created from the framework's default.
 */
import type { NodeFacts } from '../detect/facts.js';
import { found, type FrameworkDetector } from '../../../detectors/types.js';
import { routerFrameworks, type RouterFramework } from './routers.js';

const serverEntries = ['tsx', 'jsx', 'ts', 'js'].map((ext) => `app/entry.server.${ext}`);

function routerDetector(router: RouterFramework, mode: string): FrameworkDetector<NodeFacts> {
  return {
    runtime: 'node',
    framework: router.framework,
    moduleSystem: { value: 'esm', evidence: [{ about: 'module', says: `${router.name} bundles app/ as ES modules` }] },

    async detect(facts) {
      return facts.dependencies.has(router.dev) ? [{ about: 'framework', says: `package.json depends on ${router.dev} (${mode})` }] : null;
    },

    async entry(facts) {
      const existing = await facts.files.firstFile(serverEntries);
      if (existing) return found(existing, [{ about: 'entry', says: `${existing} exists (${router.name}'s server entry)` }]);
      const file = `app/entry.server.${facts.typescript ? 'tsx' : 'jsx'}`;
      return found(file, [{ about: 'entry', says: `${file} is to be created from ${router.name}'s default server entry (the app has none)` }]);
    },
  };
}

export const reactRouter = routerDetector(routerFrameworks['react-router'], 'React Router framework mode');
export const remix = routerDetector(routerFrameworks.remix, 'Remix v2');
