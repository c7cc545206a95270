/**
 * React Router's server runs its last build, build/server/index.js, where Vite inlined the entry
 * and the init: a build made before install reports nothing. Only the default buildDirectory,
 * build/, is read; build/client (what browsers load) is the client side's check.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fail, pass, warn, type Check } from '../../../doctor/check.js';
import type { DoctorContext } from '../../../doctor/context.js';
import { readText } from '../../../read-text.js';
import { holdsInit } from './build-check.js';
import { nodeBuildCommand, nodeStartCommand } from '../package-managers.js';

export const SERVER_BUILD = 'build/server/index.js';

/** The server build, when it exists and holds the init (the probe then runs it, as react-router-serve does). */
export async function wiredServerBuild(context: DoctorContext): Promise<string | null> {
  const output = await readText(join(context.project.root, SERVER_BUILD));
  return output !== null && holdsInit(output, context) ? SERVER_BUILD : null;
}

export async function checkReactRouterBuild(context: DoctorContext): Promise<Check | null> {
  const { project, wiring } = context;
  if (project.framework !== 'react-router') return null;
  const rebuild = `rebuild, then restart: ${nodeBuildCommand(project.packageManager)} && ${nodeStartCommand(project.packageManager)}`;
  const output = await readText(join(project.root, SERVER_BUILD));
  if (output === null) return warn('build', `${SERVER_BUILD}, what React Router's server runs, does not exist yet`, `build it: ${nodeBuildCommand(project.packageManager)}`);
  if (!holdsInit(output, context)) {
    return fail('build', `${SERVER_BUILD} was built without ${wiring.initFile} (before install?): the server runs it and reports nothing`, rebuild);
  }
  return pass('build', `${SERVER_BUILD} holds the init`);
}

/** The scripts (.js, .mjs) under `dir` (relative to the root) that hold one of `markers`: built chunks keep string literals. */
export async function filesHolding(root: string, dir: string, markers: string[]): Promise<string[]> {
  const names = await readdir(join(root, dir), { recursive: true }).catch(() => [] as string[]);
  const found: string[] = [];
  for (const name of names.filter((file) => /\.m?js$/.test(file))) {
    const text = await readFile(join(root, dir, name), 'utf8').catch(() => '');
    if (markers.some((marker) => text.includes(marker))) found.push(`${dir}/${name}`);
  }
  return found;
}
