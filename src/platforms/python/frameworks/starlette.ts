/**
 * Starlette on its own (FastAPI has its own detector, first): the module that creates
 * `Starlette(...)` among the conventional ASGI app paths. The SDK hooks Starlette's
 * ServerErrorMiddleware when it is imported, so wiring it is the init alone, as for FastAPI.
 */
import type { PythonFacts } from '../detect/facts.js';
import { appFile } from '../detect/app-file.js';
import type { FrameworkDetector } from '../../../detectors/types.js';
import { asgiAppModules } from './fastapi.js';

export const starlette: FrameworkDetector<PythonFacts> = {
  runtime: 'python',
  framework: 'starlette',

  async detect(facts) {
    const declared = facts.dependencies.get('starlette');
    return declared ? [{ about: 'framework', says: `${declared} depends on starlette` }] : null;
  },

  async entry(facts) {
    return appFile(facts.files, await asgiAppModules(facts), /\bStarlette\s*\(/, 'Starlette app');
  },
};
