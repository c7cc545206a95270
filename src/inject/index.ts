/**
 * Injection: wiring the init into the entry, unwiring it, and checking that it loads first.
 * Edits only insert (and removal takes out exactly what was inserted); when the parser cannot place
 * an edit safely the answer is `manual` with the snippet to paste, and nothing changes.
 */
import { ProjectFiles } from '../detectors/project-files.js';
import type { Project } from '../project.js';
import type { InitWiring } from '../templates/index.js';
import { lineKey, removeLines } from './lines.js';
import { addNextInit, nextLoadOrder, removeNextInit } from '../platforms/node/wiring/next.js';
import { addNodeInit, nodeLoadOrder } from '../platforms/node/wiring/entry.js';
import { addPythonInit, pythonLoadOrder } from '../platforms/python/wiring/entry.js';
import { wireStreamlitPages } from '../platforms/python/wiring/streamlit-pages.js';
import { enableInstrumentationHook } from '../platforms/node/wiring/next-config.js';
import { hookLineMatcher, wireRequestErrors } from '../platforms/node/wiring/request-errors.js';

export type Injection =
  /** `after`: the entry's new full text, the original bytes plus only the inserted line(s). `followUp`: a
   *  part that could not be placed (the lines for a Next.js app's own onRequestError): print it, the
   *  init itself is wired. The frameworks' request-error hooks are wired by request-errors.ts. */
  | { kind: 'insert'; after: string; followUp?: { reason: string; snippet: string } }
  | { kind: 'present' }
  | { kind: 'manual'; reason: string; snippet: string };

export type Removal =
  | { kind: 'remove'; after: string | null /* null: delete the file (one we created) */ }
  | { kind: 'absent' }
  | { kind: 'manual'; reason: string; snippet: string };

export type LoadOrder =
  | { kind: 'first' }
  | { kind: 'late'; before: string /* what runs earlier */ }
  /** The entry loads the init first, but a package __init__.py around it runs other code before. */
  | { kind: 'after-package'; packageInit: string; before: string }
  | { kind: 'missing' }
  | { kind: 'unparseable'; reason: string };

const isNext = (project: Project): boolean => project.runtime === 'node' && project.framework === 'next';
const interpreterOf = (project: Project): string => project.interpreter ?? 'python3';

/** Wires the init into the entry (the request-error hooks follow, see request-errors.ts). */
export async function addInit(project: Project, entryPath: string, source: string | null, wiring: InitWiring): Promise<Injection> {
  if (isNext(project)) return addNextInit(entryPath, source, wiring);
  if (source === null) {
    return { kind: 'manual', reason: `${entryPath} does not exist; add this line at the top of your entry`, snippet: wiring.importStatement };
  }
  if (project.runtime === 'python') return addPythonInit(interpreterOf(project), entryPath, source, wiring);
  return addNodeInit(entryPath, source, wiring);
}

export interface FollowUp {
  reason: string;
  snippet: string;
}

export type EntryWiring =
  | { kind: 'wired'; /** path → new text: the entry first, then any file where a request-error hook went. */ texts: Map<string, string>; followUps: FollowUp[] }
  | Exclude<Injection, { kind: 'insert' }>;

/** The init into the entry, then each framework's request-error hook into the file that creates the app. */
export async function wireEntry(
  project: Project,
  entryPath: string,
  source: string | null,
  wiring: InitWiring,
  read: (path: string) => Promise<string | null>,
): Promise<EntryWiring> {
  const next = isNext(project) ? wiring.next : undefined;
  if (next?.kind === 'unsupported') return unsupportedNext(next.version);
  const injection = await addInit(project, entryPath, source, wiring);
  if (injection.kind !== 'insert') return injection;
  if (next?.kind === 'instrumentation-flag') {
    const config = await enableInstrumentationHook(wiring, read);
    if (config.kind === 'manual') return config;
    const texts = new Map([[entryPath, injection.after]]);
    if (config.kind === 'edit') texts.set(config.path, config.text);
    return { kind: 'wired', texts, followUps: injection.followUp ? [injection.followUp] : [] };
  }
  const hooks = await wireRequestErrors({ path: entryPath, text: injection.after }, wiring.requestErrors, read);
  const pageLine = wiring.pageLine;
  const pages = pageLine ? await wireStreamlitPages(interpreterOf(project), project.root, { ...wiring, pageLine }, read) : null;
  const texts = new Map([[entryPath, hooks.texts.get(entryPath) ?? injection.after], ...hooks.texts, ...(pages?.texts ?? [])]);
  return { kind: 'wired', texts, followUps: [...(injection.followUp ? [injection.followUp] : []), ...hooks.followUps, ...(pages?.followUps ?? [])] };
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

/** Takes out exactly the lines addInit inserted (so install then uninstall is byte-identical). */
export async function removeInit(project: Project, source: string, wiring: InitWiring): Promise<Removal> {
  if (isNext(project)) return removeNextInit(source, wiring);
  const marked = project.runtime === 'python' ? /# ez-pixel(\s*$|\s+#)/ : /\/\/ ez-pixel(?::|\s*$)/;
  const ours = new Set([...wiring.entryLines, ...(wiring.pageLine ? [wiring.pageLine] : [])].map(lineKey));
  const hookLine = hookLineMatcher(wiring.requestErrors);
  const removal = removeLines(source, (line) => ours.has(lineKey(line)) || hookLine(line), marked);
  if (removal.kind === 'edited') {
    return {
      kind: 'manual',
      reason: `lines marked ez-pixel were changed after install; remove them by hand`,
      snippet: removal.lines.join('\n'),
    };
  }
  return removal.count === 0 ? { kind: 'absent' } : { kind: 'remove', after: removal.after };
}

/** doctor's check: does the entry load the init before any other application code? (AST, not text.) */
export async function initLoadOrder(project: Project, entryPath: string, source: string): Promise<LoadOrder> {
  if (isNext(project)) return nextLoadOrder(entryPath, source);
  if (project.runtime === 'python') return pythonLoadOrder(interpreterOf(project), new ProjectFiles(project.root), entryPath, source);
  return nodeLoadOrder(project, entryPath, source);
}
