/**
 * A browser entry is an ES module: its wiring is a Node ESM entry's (the init's import first, after
 * any directives, whole lines only, taken out byte for byte), with no request-error hooks, since
 * a page has no server whose requests could fail. Vue is the one framework that keeps errors from
 * the page (it catches what components throw and only logs it): a Vue app's entry also passes its
 * app through the init's reportVueErrors (vue/wiring.ts), and where the shape is not one install
 * knows, install says what to add by hand.
 */
import type { EntryWiring, Injection, Removal } from '../../inject/index.js';
import { missingEntry, removeMarkedLines } from '../../inject/index.js';
import type { Project } from '../../project.js';
import type { InitWiring } from '../../templates/index.js';
import { addNodeInit } from '../node/wiring/entry.js';
import { dependsOnVue } from './vue/template.js';
import { isVueLine, unwrapVueApps, wireVueErrors } from './vue/wiring.js';

export async function addBrowserInit(_project: Project, entryPath: string, source: string | null, wiring: InitWiring): Promise<Injection> {
  if (source === null) return missingEntry(entryPath, wiring);
  return addNodeInit(entryPath, source, wiring);
}

export async function wireBrowserEntry(
  project: Project,
  entryPath: string,
  source: string | null,
  wiring: InitWiring,
  _read: (path: string) => Promise<string | null>,
): Promise<EntryWiring> {
  const injection = await addBrowserInit(project, entryPath, source, wiring);
  if (injection.kind === 'manual') return injection;
  const text = injection.kind === 'insert' ? injection.after : (source ?? '');
  const vue = dependsOnVue(project.root) ? await wireVueErrors(entryPath, text, wiring) : { kind: 'present' as const };
  const after = vue.kind === 'edit' ? vue.after : text;
  if (after === source) return { kind: 'present' };
  return { kind: 'wired', texts: new Map([[entryPath, after]]), followUps: vue.kind === 'note' ? [vue.followUp] : [] };
}

export async function removeBrowserInit(_project: Project, source: string, wiring: InitWiring): Promise<Removal> {
  const unwrapped = await unwrapVueApps(wiring.entry, source);
  if (unwrapped === null) return { kind: 'manual', reason: `${wiring.entry} no longer parses, so its reportVueErrors(…) calls cannot be unwrapped; remove them by hand`, snippet: wiring.importStatement };
  const removal = removeMarkedLines(unwrapped, wiring, /\/\/ ez-pixel\s*$/, (line) => isVueLine(line, wiring));
  if (removal.kind === 'absent' && unwrapped !== source) return { kind: 'remove', after: unwrapped };
  return removal;
}
