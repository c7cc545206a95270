/** How doctor's probe runs a Node init: with this node, a TypeScript init transpiled first. */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DoctorContext } from '../../../doctor/context.js';
import type { ProbeRun } from '../../platform.js';
import { loadTsMorph } from '../../../load-ts-morph.js';
import { wiredServerBuild } from './react-router-build.js';

/** Node cannot run a TypeScript init, so it is transpiled into node_modules/.cache (never into tracked files). */
async function runnableNodeInit(root: string, initFile: string): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = join(root, initFile);
  if (!/\.[cm]?ts$/.test(initFile)) return { path, cleanup: async () => {} };
  const { ts } = loadTsMorph();
  const commonjs = initFile.endsWith('.cts');
  const output = ts.transpileModule(await readFile(path, 'utf8'), {
    compilerOptions: { module: commonjs ? ts.ModuleKind.CommonJS : ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const dir = join(root, 'node_modules', '.cache', 'ez-pixel');
  await mkdir(dir, { recursive: true });
  const transpiled = join(dir, `probe-${randomBytes(4).toString('hex')}${commonjs ? '.cjs' : '.mjs'}`);
  await writeFile(transpiled, output);
  return { path: transpiled, cleanup: () => rm(transpiled, { force: true }) };
}


export async function nodeProbeRun(context: DoctorContext): Promise<ProbeRun> {
  const { project, wiring } = context;
  // React Router's server loads its build, where the init was inlined: that is what the probe runs once it exists.
  const built = project.framework === 'react-router' ? await wiredServerBuild(context) : null;
  if (built) return { argv: [process.execPath, join(project.root, built)], env: {}, cleanup: async () => {} };
  const runnable = await runnableNodeInit(project.root, wiring.initFile);
  return { argv: [process.execPath, runnable.path], env: {}, cleanup: runnable.cleanup };
}
