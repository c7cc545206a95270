/** Python's wiring: the import of the init into the entry and a Streamlit app's pages (placed by Python's own ast), its removal, and doctor's load-order check. */
import { ProjectFiles } from '../../../detectors/project-files.js';
import type { EntryWiring, Injection, LoadOrder, Removal } from '../../../inject/index.js';
import { missingEntry, removeMarkedLines } from '../../../inject/index.js';
import type { Project } from '../../../project.js';
import type { InitWiring } from '../../../templates/index.js';
import { addPythonInit, pythonLoadOrder } from './entry.js';
import { wireStreamlitPages } from './streamlit-pages.js';

const interpreterOf = (project: Project): string => project.interpreter ?? 'python3';

export async function addPythonEntryInit(project: Project, entryPath: string, source: string | null, wiring: InitWiring): Promise<Injection> {
  if (source === null) return missingEntry(entryPath, wiring);
  return addPythonInit(interpreterOf(project), entryPath, source, wiring);
}

/** The entry's import, then a Streamlit app's pages (each loads the init itself: a fresh server runs only the page opened). */
export async function wirePythonEntry(
  project: Project,
  entryPath: string,
  source: string | null,
  wiring: InitWiring,
  read: (path: string) => Promise<string | null>,
): Promise<EntryWiring> {
  const injection = await addPythonEntryInit(project, entryPath, source, wiring);
  if (injection.kind !== 'insert') return injection;
  const pageLine = wiring.pageLine;
  const pages = pageLine ? await wireStreamlitPages(interpreterOf(project), project.root, { ...wiring, pageLine }, read) : null;
  const texts = new Map([[entryPath, injection.after], ...(pages?.texts ?? [])]);
  return { kind: 'wired', texts, followUps: [...(injection.followUp ? [injection.followUp] : []), ...(pages?.followUps ?? [])] };
}

/** Takes our lines out of the entry or a Streamlit page. */
export async function removePythonInit(source: string, wiring: InitWiring): Promise<Removal> {
  return removeMarkedLines(source, wiring, /# ez-pixel(\s*$|\s+#)/, () => false);
}

export async function pythonInitLoadOrder(project: Project, entryPath: string, source: string): Promise<LoadOrder> {
  return pythonLoadOrder(interpreterOf(project), new ProjectFiles(project.root), entryPath, source);
}
