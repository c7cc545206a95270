/**
 * A browser entry is an ES module: its wiring is a Node ESM entry's (the init's import first, after
 * any directives, whole lines only, taken out byte for byte), with no request-error hooks, since
 * a page has no server whose requests could fail.
 */
import type { EntryWiring, Injection, Removal } from '../../inject/index.js';
import { missingEntry, removeMarkedLines } from '../../inject/index.js';
import type { Project } from '../../project.js';
import type { InitWiring } from '../../templates/index.js';
import { addNodeInit } from '../node/wiring/entry.js';

export async function addBrowserInit(_project: Project, entryPath: string, source: string | null, wiring: InitWiring): Promise<Injection> {
  if (source === null) return missingEntry(entryPath, wiring);
  return addNodeInit(entryPath, source, wiring);
}

export async function wireBrowserEntry(project: Project, entryPath: string, source: string | null, wiring: InitWiring): Promise<EntryWiring> {
  const injection = await addBrowserInit(project, entryPath, source, wiring);
  if (injection.kind !== 'insert') return injection;
  return { kind: 'wired', texts: new Map([[entryPath, injection.after]]), followUps: [] };
}

export async function removeBrowserInit(_project: Project, source: string, wiring: InitWiring): Promise<Removal> {
  return removeMarkedLines(source, wiring, /\/\/ ez-pixel\s*$/, () => false);
}
