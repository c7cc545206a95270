/**
 * FastAPI: `[tool.fastapi] entrypoint` when pyproject declares it, else the paths fastapi-cli
 * tries (main.py, app.py, api.py and the same in app/), then the same names in the project's packages.
 */
import type { PythonFacts } from '../detect/facts.js';
import { appFile } from '../detect/app-file.js';
import { moduleFile, packageDirectories } from '../detect/modules.js';
import { asObject, asString } from '../../../detectors/project-files.js';
import { found, type FrameworkDetector } from '../../../detectors/types.js';

const fastapiCliPaths = ['main.py', 'app.py', 'api.py', 'app/main.py', 'app/app.py', 'app/api.py'];

export const fastapi: FrameworkDetector<PythonFacts> = {
  runtime: 'python',
  framework: 'fastapi',

  async detect(facts) {
    const declared = facts.dependencies.get('fastapi');
    return declared ? [{ about: 'framework', says: `${declared} depends on fastapi` }] : null;
  },

  async entry(facts) {
    const entrypoint = asString(asObject(asObject(facts.pyproject?.tool)?.fastapi)?.entrypoint);
    if (entrypoint) {
      const file = await moduleFile(facts.files, entrypoint.split(':')[0]!);
      if (file) return found(file, [{ about: 'entry', says: `pyproject.toml [tool.fastapi] entrypoint is ${entrypoint}: ${file}` }]);
    }
    return appFile(facts.files, await asgiAppModules(facts), /\bFastAPI\s*\(/, 'FastAPI app');
  },
};

/** Where an ASGI app conventionally lives: fastapi-cli's paths, then the same names in the project's packages. */
export async function asgiAppModules(facts: PythonFacts): Promise<string[]> {
  // `cd pkg && uvicorn main:app`: the app module inside a package folder.
  const inPackages = (await packageDirectories(facts.files)).flatMap((pkg) => ['main.py', 'app.py', 'api.py'].map((name) => `${pkg}/${name}`));
  return [...fastapiCliPaths, ...inPackages];
}
