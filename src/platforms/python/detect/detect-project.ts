/** Detects a Python project at `root`: framework, entry, package manager, manifest and interpreter. */
import { posix } from 'node:path';
import type { Evidence, PackageManager } from '../../../project.js';
import { choosePackageManager, type DetectOptions, type ProjectOutcome } from '../../../detectors/detection.js';
import { pythonFrameworks } from '../frameworks/index.js';
import { pickEntry, pickFramework } from '../../../detectors/frameworks/pick.js';
import { givenEvidence } from '../../../detectors/given.js';
import { detectPythonPackageManager } from './package-manager.js';
import { ProjectFiles } from '../../../detectors/project-files.js';
import { readPythonFacts, type PythonFacts } from './facts.js';
import { packageRunningFirst } from '../wiring/entry.js';
import { findUnsupportedFramework } from '../frameworks/unsupported.js';
import { findInterpreter } from './interpreter.js';
import { findUvWorkspace } from './uv-workspace.js';

export async function detectPythonProject(root: string, options: DetectOptions): Promise<ProjectOutcome> {
  const facts = await readPythonFacts(new ProjectFiles(root));
  const evidence: Evidence[] = [...facts.unreadable];

  let packageManager: PackageManager;
  const uvWorkspace = options.pm && options.pm !== 'uv' ? null : await findUvWorkspace(root);
  if (uvWorkspace) {
    packageManager = 'uv';
    evidence.push({ about: 'workspace', says: uvWorkspace.says }, { about: 'packageManager', says: 'the uv workspace locks and installs it (uv)' });
  } else if (options.pm) {
    packageManager = options.pm;
    evidence.push(givenEvidence('packageManager', '--pm', options.pm));
  } else {
    const pm = await detectPythonPackageManager(facts);
    if ('ambiguous' in pm) return choosePackageManager(pm.ambiguous);
    packageManager = pm.found.value;
    evidence.push(...pm.found.evidence);
  }
  const manifest = await manifestFor(facts, packageManager);
  evidence.unshift(
    options.runtime ? givenEvidence('runtime', '--runtime', options.runtime) : { about: 'runtime', says: `${manifest} exists` },
  );

  const framework = await pickFramework(pythonFrameworks, facts, options.framework);
  evidence.push(...framework.evidence);
  // Only when nothing we support runs the app, and `--framework script` was not asked for.
  const unsupported = framework.detector.framework === 'script' && !options.framework ? findUnsupportedFramework(facts) : null;
  if (unsupported) evidence.push(unsupported.evidence);

  const picked = await pickEntry(root, framework.detector, facts, options.entry);
  if ('kind' in picked) return picked;
  evidence.push(...picked.evidence);

  const interpreter = await findInterpreter(root, process.env, uvWorkspace?.root);
  evidence.push(...interpreter.evidence);

  let { entry } = picked;
  // A package __init__.py that imports or calls before the detected entry is the real start, for an
  // app or a package run as a program (`python -m pkg`). Not for a console script's module: that
  // package is often a library too, and its __init__ runs inside every app that imports it.
  const program = framework.detector.framework !== 'script' || posix.basename(entry ?? '') === '__main__.py';
  const earlier = entry && picked.detected && program && interpreter.value ? await packageRunningFirst(interpreter.value, facts.files, entry) : null;
  if (entry && earlier) {
    evidence.push({ about: 'entry', says: `${earlier.packageInit} runs before ${entry} (${earlier.before}): the init goes there` });
    entry = earlier.packageInit;
  }

  return {
    kind: 'project',
    project: {
      root,
      runtime: 'python',
      framework: framework.detector.framework,
      packageManager,
      workspaceRoot: uvWorkspace?.root ?? null,
      moduleSystem: null,
      typescript: false,
      manifest,
      interpreter: interpreter.value,
      entry,
      ...(unsupported ? { unsupported: unsupported.framework } : {}),
      evidence,
    },
  };
}

/** The file that declares the dependencies for this package manager, else the first manifest that exists. */
async function manifestFor(facts: PythonFacts, pm: PackageManager): Promise<string> {
  const preferred = pm === 'pipenv' ? ['Pipfile'] : pm === 'pip' ? facts.requirementsFiles.slice(0, 1) : ['pyproject.toml'];
  // setup.py may only call setup() while setup.cfg holds install_requires: the one that declares comes first.
  const setupFiles = (await facts.files.text('setup.py'))?.includes('install_requires') ? ['setup.py', 'setup.cfg'] : ['setup.cfg', 'setup.py'];
  const anyManifest = ['pyproject.toml', ...facts.requirementsFiles, 'Pipfile', ...setupFiles];
  return (await facts.files.firstFile([...preferred, ...anyManifest])) ?? 'pyproject.toml';
}
