/**
 * A Vite app: package.json depends on vite and index.html, the page Vite builds from, sits at the
 * root. Its client entry is what Vite itself starts from: the page's `<script type="module" src>`
 * (usually src/main.ts, main.tsx or main.js), so the init goes first there.
 */
import type { FrameworkDetector } from '../../../detectors/types.js';
import { found, type EntryOutcome } from '../../../detectors/types.js';
import type { NodeFacts } from '../../node/detect/facts.js';
import { moduleScripts } from '../detect/module-scripts.js';

export const VITE_PAGE = 'index.html';

export const vite: FrameworkDetector<NodeFacts> = {
  runtime: 'browser',
  framework: 'vite',
  async detect(facts) {
    if (!facts.dependencies.has('vite') || !(await facts.files.isFile(VITE_PAGE))) return null;
    return [{ about: 'framework', says: `package.json depends on vite and ${VITE_PAGE} is its page` }];
  },
  entry: viteEntry,
};

async function viteEntry(facts: NodeFacts): Promise<EntryOutcome> {
  const html = (await facts.files.text(VITE_PAGE)) ?? '';
  const scripts = [];
  for (const script of moduleScripts(html, VITE_PAGE)) if (await facts.files.isFile(script.path)) scripts.push(script);
  const [only] = scripts;
  if (scripts.length === 1 && only) return found(only.path, [{ about: 'entry', says: `${VITE_PAGE} loads ${only.path} (${only.tag})` }]);
  if (scripts.length === 0) return found(null, [{ about: 'entry', says: `${VITE_PAGE} loads no module script of the project (<script type="module" src="…">)` }]);
  return {
    ambiguous: {
      candidates: scripts.map((script) => ({ value: script.path, because: `${VITE_PAGE}: ${script.tag}` })),
      evidence: [{ about: 'entry', says: `${VITE_PAGE} loads ${scripts.length} module scripts` }],
    },
  };
}
