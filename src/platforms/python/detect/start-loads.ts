/**
 * The project's files a start command loads: `flask --app pkg.web:create_app()` imports
 * `pkg/web.py` (after `pkg/__init__.py`), `python -m pkg` runs `pkg/__init__.py` then
 * `pkg/__main__.py`, `python app.py` runs only `app.py` as a script. doctor asks whether the wired
 * entry is among them; "Next steps" shows the command that loads it.
 */
import { posix } from 'node:path';
import type { ProjectFiles } from '../../../detectors/project-files.js';
import { moduleFile, packageDirectories } from './modules.js';
import { enclosingPackageInits } from './package-inits.js';
import type { StartCommand } from './start-commands.js';

/** Files in the order Python runs them; empty when the command names nothing in the project. */
export async function filesStartLoads(files: ProjectFiles, start: StartCommand): Promise<string[]> {
  const module = await startedModule(files, start);
  if (!module) return [];
  if (module.asScript) return [module.file];
  return [...(await enclosingPackageInits(files, module.file)), module.file];
}

async function startedModule(files: ProjectFiles, start: StartCommand): Promise<{ file: string; asScript: boolean } | null> {
  const target = start.target.replace(/:.*$/, '');
  switch (start.tool) {
    case 'python':
    case 'streamlit':
      return (await files.isFile(target)) ? { file: target, asScript: true } : null;
    case 'module': {
      const file = await moduleFile(files, target);
      if (!file || posix.basename(file) !== '__init__.py') return file ? { file, asScript: false } : null;
      const main = `${posix.dirname(file)}/__main__.py`;
      return { file: (await files.isFile(main)) ? main : file, asScript: false };
    }
    default: {
      // flask --app and fastapi take a file path too; they import it as a module of its package.
      if (target.endsWith('.py')) return (await files.isFile(target)) ? { file: target, asScript: false } : null;
      const file = await moduleFile(files, target);
      if (file) return { file, asScript: false };
      // `cd pkg && uvicorn main:app`: one package folder holds the module, imported as top-level.
      const inPackages = (await Promise.all((await packageDirectories(files)).map((pkg) => moduleFile(files, `${pkg.replace(/\//g, '.')}.${target}`))))
        .filter((found): found is string => found !== null);
      return inPackages.length === 1 ? { file: inPackages[0]!, asScript: true } : null;
    }
  }
}
