/**
 * Where projects are: which runtimes a directory's own manifests show, and, when it has none, the
 * projects one directory level down (a front end beside a back end). Never deeper.
 */
import { join } from 'node:path';
import { platforms } from '../platforms/index.js';
import type { Runtime } from '../project.js';
import { ProjectFiles } from './project-files.js';

export interface Candidate {
  root: string;
  runtime: Runtime;
  /** The manifest that shows it, relative to the directory searched. */
  shownBy: string;
}

/** Directories that never hold the user's project: dependencies, build output, templates and one-time setup. */
const notProjects = /^(\.|node_modules$|venv$|env$|__pycache__$|dist$|build$|site-packages$|remix\.init$|templates?$|examples?$|scripts$|fixtures$)/;

/** A browser app no platform wires (Create React App, Angular…): left out, and said so. */
export interface BrowserApp {
  root: string;
  why: string;
}

export async function runtimesIn(root: string, browserApps: BrowserApp[] = []): Promise<Candidate[]> {
  const files = new ProjectFiles(root);
  const candidates: Candidate[] = [];
  for (const platform of platforms) {
    const shownBy = await platform.manifestIn(files, browserApps);
    if (shownBy) candidates.push({ root, runtime: platform.name, shownBy });
  }
  return candidates;
}

export async function candidatesOneLevelDown(root: string, browserApps: BrowserApp[] = []): Promise<Candidate[]> {
  const entries = await new ProjectFiles(root).list();
  const dirs = entries.filter((e) => e.isDirectory() && !notProjects.test(e.name)).map((e) => e.name).sort();
  const found = await Promise.all(
    dirs.map(async (name) => (await runtimesIn(join(root, name), browserApps)).map((c) => ({ ...c, shownBy: `${name}/${c.shownBy}` }))),
  );
  return found.flat();
}

/** What detection looked for, for the `nothing` answer. */
export function lookedFor(root: string, runtimes: Runtime[] | undefined): string[] {
  const names = [...new Set(platforms.filter((platform) => !runtimes || runtimes.includes(platform.name)).flatMap((platform) => platform.manifestsLookedFor))];
  return [...names.map((name) => `${join(root, name)}`), ...names.map((name) => `${join(root, '*', name)} (one level down)`)];
}
