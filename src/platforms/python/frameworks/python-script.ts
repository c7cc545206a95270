/**
 * A Python script or CLI, the fallback for any Python project: the module of its console script
 * ([project.scripts], [tool.poetry.scripts]), else the file a Procfile, Dockerfile or README runs with
 * `python file.py`, else a __main__.py, else main.py.
 */
import type { PythonFacts } from '../detect/facts.js';
import { moduleFile, packageDirectories } from '../detect/modules.js';
import { found, type EntryOutcome, type FrameworkDetector } from '../../../detectors/types.js';

const conventionalScripts = ['app.py', 'run.py', 'cli.py'];

export const pythonScript: FrameworkDetector<PythonFacts> = {
  runtime: 'python',
  framework: 'script',

  async detect() {
    return [{ about: 'framework', says: 'no Python web framework among the dependencies: a script or CLI' }];
  },

  async entry(facts) {
    const fromScripts = await consoleScriptEntry(facts);
    if (fromScripts) return fromScripts;
    for (const start of facts.starts.filter((s) => s.tool === 'python')) {
      if (await facts.files.isFile(start.target)) return found(start.target, [{ about: 'entry', says: `${start.from} starts it with ${start.command}` }]);
    }
    const packages = await packageDirectories(facts.files);
    const mains = ['__main__.py', ...packages.map((pkg) => `${pkg}/__main__.py`)];
    const main = (await facts.files.firstFile(mains)) ?? (await facts.files.firstFile(['main.py']));
    if (main) return found(main, [{ about: 'entry', says: `${main} is the script's main module` }]);
    const script = await facts.files.firstFile(conventionalScripts);
    if (script) return found(script, [{ about: 'entry', says: `${script} is a conventional script path` }]);
    return found(null, [{ about: 'entry', says: 'no console script, __main__.py or main.py found' }]);
  },
};

async function consoleScriptEntry(facts: PythonFacts): Promise<EntryOutcome | null> {
  const resolved = new Map<string, string>();
  for (const script of facts.scripts) {
    const file = await moduleFile(facts.files, script.target.split(':')[0]!);
    if (file && !resolved.has(file)) resolved.set(file, `${script.from} ${script.name} = "${script.target}": ${file}`);
  }
  if (resolved.size === 0) return null;
  const [first] = resolved;
  if (resolved.size === 1) return found(first![0], [{ about: 'entry', says: first![1] }]);
  return {
    ambiguous: {
      candidates: [...resolved].map(([value, because]) => ({ value, because })),
      evidence: [{ about: 'entry', says: `${facts.scripts.length} console scripts point at ${resolved.size} different modules` }],
    },
  };
}
