/**
 * React Router's and Remix's servers run their last build (build/server/index.js from Vite,
 * build/index.js from Remix's classic compiler), where the entry and the init were inlined: a
 * build made before install reports nothing. Only the default build directories are read; the
 * browser's chunks are the client side's check.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fail, pass, warn, type Check } from '../../../doctor/check.js';
import type { DoctorContext } from '../../../doctor/context.js';
import { readText } from '../../../read-text.js';
import { routerBuild, routerOf } from '../frameworks/routers.js';
import { holdsInit } from './build-check.js';
import { nodeBuildCommand, nodeStartCommand } from '../package-managers.js';

function serverBuildOf(context: DoctorContext): { name: string; path: string } | null {
  const router = routerOf(context.project.framework);
  return router ? { name: router.name, path: routerBuild(context.project.root, router).server } : null;
}

/** The server build, when it exists and holds the init (the probe then runs it, as react-router-serve and remix-serve do). */
export async function wiredServerBuild(context: DoctorContext): Promise<string | null> {
  const build = serverBuildOf(context);
  const output = build && (await readText(join(context.project.root, build.path)));
  return output && holdsInit(output, context) ? build.path : null;
}

export async function checkRouterBuild(context: DoctorContext): Promise<Check | null> {
  const { project, wiring } = context;
  const build = serverBuildOf(context);
  if (!build) return null;
  const rebuild = `rebuild, then restart: ${nodeBuildCommand(project.packageManager)} && ${nodeStartCommand(project.packageManager)}`;
  const output = await readText(join(project.root, build.path));
  if (output === null) return warn('build', `${build.path}, what ${build.name}'s server runs, does not exist yet`, `build it: ${nodeBuildCommand(project.packageManager)}`);
  if (!holdsInit(output, context)) {
    return fail('build', `${build.path} was built without ${wiring.initFile} (before install?): the server runs it and reports nothing`, rebuild);
  }
  return pass('build', `${build.path} holds the init`);
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
