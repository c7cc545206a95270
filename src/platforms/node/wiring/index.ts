/**
 * Node's wiring: the init into the entry (Next.js: into the instrumentation file, and next.config
 * for 13.2–14; React Router: into app/entry.server, with its handleError; SvelteKit: into hooks.server, with its handleError; Nuxt: a server plugin created whole), then each framework's request-error hook into the file that creates the app; its
 * removal; and doctor's load-order check.
 */
import type { EntryWiring, Injection, LoadOrder, Removal } from '../../../inject/index.js';
import { missingEntry, removeMarkedLines } from '../../../inject/index.js';
import type { Project } from '../../../project.js';
import type { InitWiring } from '../../../templates/index.js';
import { addNodeInit, nodeLoadOrder } from './entry.js';
import { addNextInit, nextLoadOrder, removeNextInit } from './next.js';
import { addReactRouterInit, removeReactRouterInit } from './react-router.js';
import { routerOf } from '../frameworks/routers.js';
import { enableInstrumentationHook } from './next-config.js';
import { addNuxtInit, nuxtLoadOrder, removeNuxtInit } from './nuxt.js';
import { hookLineMatcher, removeRequestErrorHooks, wireRequestErrors } from './request-errors.js';
import { addSvelteKitHooks, removeSvelteKitHooks } from './sveltekit-hooks.js';

const isNext = (project: Project): boolean => project.framework === 'next';

function svelteKitServer(wiring: InitWiring) {
  if (!wiring.sveltekit) throw new Error('SvelteKit injection needs a SvelteKit wiring (initWiringFor with framework "sveltekit")');
  return wiring.sveltekit.server;
}

export async function addNodeOrNextInit(project: Project, entryPath: string, source: string | null, wiring: InitWiring): Promise<Injection> {
  if (isNext(project)) return addNextInit(entryPath, source, wiring);
  if (routerOf(project.framework)) return addReactRouterInit(project, entryPath, source, wiring);
  if (project.framework === 'sveltekit') return addSvelteKitHooks(entryPath, source, svelteKitServer(wiring));
  if (project.framework === 'nuxt') return addNuxtInit(entryPath, source, wiring);
  if (source === null) return missingEntry(entryPath, wiring);
  return addNodeInit(entryPath, source, wiring);
}

export async function wireNodeEntry(
  project: Project,
  entryPath: string,
  source: string | null,
  wiring: InitWiring,
  read: (path: string) => Promise<string | null>,
): Promise<EntryWiring> {
  const next = isNext(project) ? wiring.next : undefined;
  if (next?.kind === 'unsupported') return unsupportedNext(next.version);
  const injection = await addNodeOrNextInit(project, entryPath, source, wiring);
  if (injection.kind !== 'insert') return injection;
  if (next?.kind === 'instrumentation-flag') {
    const config = await enableInstrumentationHook(wiring, read);
    if (config.kind === 'manual') return config;
    const texts = new Map([[entryPath, injection.after]]);
    if (config.kind === 'edit') texts.set(config.path, config.text);
    return { kind: 'wired', texts, followUps: injection.followUp ? [injection.followUp] : [] };
  }
  const hooks = await wireRequestErrors({ path: entryPath, text: injection.after }, wiring.requestErrors, read);
  const texts = new Map([[entryPath, hooks.texts.get(entryPath) ?? injection.after], ...hooks.texts]);
  return { kind: 'wired', texts, followUps: [...(injection.followUp ? [injection.followUp] : []), ...hooks.followUps] };
}

/** Before 13.2 Next.js has no instrumentation hook at all: nothing can load the init for the server. */
function unsupportedNext(version: NonNullable<InitWiring['next']>['version']): EntryWiring {
  return {
    kind: 'manual',
    reason: `Next.js ${version?.major}.${version?.minor} (${version?.from}) has no instrumentation hook (it arrived in 13.2); upgrade Next.js, or report errors where they happen`,
    snippet: [
      "import { initPixel, reportPixel } from '@ez-pixel/node';",
      'initPixel(); // once, in a custom server or the first module your API routes import',
      '',
      '// in an API route or getServerSideProps:',
      "try { /* ... */ } catch (error) { reportPixel('request failed', { error }); throw error; }",
    ].join('\n'),
  };
}

export async function removeNodeInit(project: Project, source: string, wiring: InitWiring): Promise<Removal> {
  if (isNext(project)) return removeNextInit(source, wiring);
  if (routerOf(project.framework)) return removeReactRouterInit(source, wiring);
  if (project.framework === 'sveltekit') return removeSvelteKitHooks(source, svelteKitServer(wiring));
  if (project.framework === 'nuxt') return removeNuxtInit(source, wiring);
  return removeMarkedLines(source, wiring, /\/\/ ez-pixel(?::|\s*$)/, hookLineMatcher(wiring.requestErrors));
}

export async function nodeInitLoadOrder(project: Project, entryPath: string, source: string): Promise<LoadOrder> {
  if (isNext(project)) return nextLoadOrder(entryPath, source);
  if (project.framework === 'nuxt') return nuxtLoadOrder(entryPath, source);
  return nodeLoadOrder(project, entryPath, source);
}

/** Takes the request-error hook lines out of a file (other than the entry) that creates the app. */
export async function removeNodeHooks(source: string, wiring: InitWiring): Promise<Removal> {
  const removal = removeRequestErrorHooks(source, wiring);
  if (removal.kind === 'edited') return { kind: 'manual', reason: 'lines marked ez-pixel were changed after install', snippet: removal.lines.join('\n') };
  return removal.after === source ? { kind: 'absent' } : { kind: 'remove', after: removal.after };
}
