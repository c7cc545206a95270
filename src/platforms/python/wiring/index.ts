/** Python's wiring: the import of the init into the entry and a Streamlit app's pages (placed by Python's own ast), its removal, and doctor's load-order check. */
import { ProjectFiles } from '../../../detectors/project-files.js';
import type { EntryWiring, Injection, LoadOrder, Removal } from '../../../inject/index.js';
import { missingEntry, removeMarkedLines } from '../../../inject/index.js';
import type { Project } from '../../../project.js';
import type { InitWiring } from '../../../templates/index.js';
import { addPythonInit, pythonLoadOrder } from './entry.js';
import { wireStreamlitPages, type PagesWiring } from './streamlit-pages.js';

const interpreterOf = (project: Project): string => project.interpreter ?? 'python3';

export async function addPythonEntryInit(project: Project, entryPath: string, source: string | null, wiring: InitWiring): Promise<Injection> {
  if (source === null) return missingEntry(entryPath, wiring);
  return addPythonInit(interpreterOf(project), entryPath, source, wiring);
}

/**
 * The entry's import, then a Streamlit app's pages (each loads the init itself: a fresh server runs
 * only the page opened). An entry wired already still has its pages looked at: a page added since
 * install gets its line, and only the pages are in `texts` then.
 */
export async function wirePythonEntry(
  project: Project,
  entryPath: string,
  source: string | null,
  wiring: InitWiring,
  read: (path: string) => Promise<string | null>,
): Promise<EntryWiring> {
  const injection = await addPythonEntryInit(project, entryPath, source, wiring);
  if (injection.kind === 'manual') return injection;
  const pages = await unwiredStreamlitPages(project, wiring, read);
  // A page the line cannot be placed in is said on every run, until it is fixed.
  if (injection.kind === 'present' && (pages?.texts.size ?? 0) === 0 && (pages?.followUps.length ?? 0) === 0) return injection;
  const texts = new Map([...(injection.kind === 'insert' ? [[entryPath, injection.after] as const] : []), ...(pages?.texts ?? [])]);
  const followUps = [...(injection.kind === 'insert' && injection.followUp ? [injection.followUp] : []), ...(pages?.followUps ?? []).map(({ reason, snippet }) => ({ reason, snippet }))];
  return { kind: 'wired', texts, followUps };
}

/** A Streamlit app's pages that do not load the init yet, with the text each gets; null for any other framework. */
export async function unwiredStreamlitPages(project: Project, wiring: InitWiring, read: (path: string) => Promise<string | null>): Promise<PagesWiring | null> {
  const pageLine = wiring.pageLine;
  return pageLine ? wireStreamlitPages(interpreterOf(project), project.root, { ...wiring, pageLine }, read) : null;
}

/** Takes our lines out of the entry or a Streamlit page. */
export async function removePythonInit(source: string, wiring: InitWiring): Promise<Removal> {
  return removeMarkedLines(source, wiring, /# ez-pixel(\s*$|\s+#)/, () => false);
}

export async function pythonInitLoadOrder(project: Project, entryPath: string, source: string): Promise<LoadOrder> {
  return pythonLoadOrder(interpreterOf(project), new ProjectFiles(project.root), entryPath, source);
}
