/**
 * A browser entry is an ES module: its wiring is a Node ESM entry's (the init's import first, after
 * any directives, whole lines only, taken out byte for byte), with no request-error hooks, since
 * a page has no server whose requests could fail. Vue is the one framework that keeps errors from
 * the page: it catches what components throw (handlers, hooks, watchers) and only logs it, so
 * install names the app.config.errorHandler to add by hand (the app is often created in a chained
 * `createApp(App).mount('#app')`, which no insert-only edit can reach).
 */
import { ProjectFiles } from '../../detectors/project-files.js';
import type { EntryWiring, FollowUp, Injection, Removal } from '../../inject/index.js';
import { missingEntry, removeMarkedLines } from '../../inject/index.js';
import type { Project } from '../../project.js';
import type { InitWiring } from '../../templates/index.js';
import { readNodeFacts } from '../node/detect/facts.js';
import { addNodeInit } from '../node/wiring/entry.js';

export async function addBrowserInit(_project: Project, entryPath: string, source: string | null, wiring: InitWiring): Promise<Injection> {
  if (source === null) return missingEntry(entryPath, wiring);
  return addNodeInit(entryPath, source, wiring);
}

export async function wireBrowserEntry(
  project: Project,
  entryPath: string,
  source: string | null,
  wiring: InitWiring,
  read: (path: string) => Promise<string | null>,
): Promise<EntryWiring> {
  const injection = await addBrowserInit(project, entryPath, source, wiring);
  if (injection.kind !== 'insert') return injection;
  const vue = (await readNodeFacts(new ProjectFiles(project.root))).dependencies.has('vue') && !/\.config\.errorHandler\b/.test(source ?? '');
  return { kind: 'wired', texts: new Map([[entryPath, injection.after]]), followUps: vue ? [vueErrorHandler(entryPath)] : [] };
}

const VUE_ERROR_HANDLER = [
  "import { reportPixel } from '@ez-pixel/browser'",
  '',
  '// right after createApp(App), before mount():',
  'app.config.errorHandler = (error) => {',
  "  reportPixel('Vue error', { error })",
  '  console.error(error)',
  '}',
].join('\n');

function vueErrorHandler(entryPath: string): FollowUp {
  return {
    reason: `Vue catches what components throw (event handlers, lifecycle hooks, watchers) and only logs it, so the page never sees it; add an errorHandler to the app in ${entryPath}`,
    snippet: VUE_ERROR_HANDLER,
  };
}

export async function removeBrowserInit(_project: Project, source: string, wiring: InitWiring): Promise<Removal> {
  return removeMarkedLines(source, wiring, /\/\/ ez-pixel\s*$/, () => false);
}
