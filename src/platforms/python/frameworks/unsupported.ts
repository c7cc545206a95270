/**
 * Python UI frameworks ez-pixel detects but cannot wire: each runs the app's code from its own
 * event loop and catches what that code raises (showing it in the page), where neither
 * sys.excepthook, logging nor an integration of ours sees it. Install names the framework, prints
 * what to add by hand and changes nothing (exit 5); `--framework script` wires it as a plain
 * script anyway.
 */
import type { Evidence, UnsupportedFramework } from '../../../project.js';
import type { PythonFacts } from '../detect/facts.js';

const unsupported: Array<{ dependency: string; name: string; catches: string }> = [
  { dependency: 'gradio', name: 'Gradio', catches: 'the exceptions your event handlers raise' },
  { dependency: 'panel', name: 'Panel', catches: 'the exceptions of your callbacks and served scripts' },
  { dependency: 'nicegui', name: 'NiceGUI', catches: 'the exceptions of your UI event handlers' },
  { dependency: 'reflex', name: 'Reflex', catches: 'the exceptions of your event handlers' },
  { dependency: 'solara', name: 'Solara', catches: 'the exceptions your components raise' },
  { dependency: 'shiny', name: 'Shiny for Python', catches: 'the exceptions of your reactive functions' },
  { dependency: 'chainlit', name: 'Chainlit', catches: 'the exceptions of your message handlers' },
];

export function findUnsupportedFramework(facts: PythonFacts): { framework: UnsupportedFramework; evidence: Evidence } | null {
  for (const { dependency, name, catches } of unsupported) {
    const declared = facts.dependencies.get(dependency);
    if (declared) {
      return {
        framework: { name, catches },
        evidence: { about: 'framework', says: `${declared} depends on ${dependency}: ${name} is not supported (it catches ${catches} itself)` },
      };
    }
  }
  return null;
}
