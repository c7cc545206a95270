/**
 * Streamlit's multipage apps: every .py file in the entry's pages/ folder is a page Streamlit runs
 * on its own, and a fresh server process runs only the page a visitor opens, never the entry. So
 * each page gets the line that loads the entry's init too (wiring.pageLine, `up=1`). A page added
 * after install is wired by the next run of install (a page that loads the init already is left as
 * it is), and doctor names the pages that do not load it.
 */
import { readdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { InitWiring } from '../../../templates/index.js';
import type { FollowUp } from '../../../inject/index.js';
import { addPythonInit } from './entry.js';

export interface PagesWiring {
  /** path → new text, for each page that did not load the init yet. */
  texts: Map<string, string>;
  /** The pages the line cannot be placed in (one that does not parse), each with what to do by hand. */
  followUps: (FollowUp & { page: string })[];
}

/** The pages Streamlit lists: `pages/*.py` beside the entry, but not `__init__.py` or hidden files. */
async function streamlitPages(root: string, entry: string): Promise<string[]> {
  const folder = posix.join(posix.dirname(entry), 'pages');
  const found = await readdir(join(root, folder), { withFileTypes: true }).catch(() => []);
  return found
    .filter((file) => file.isFile() && file.name.endsWith('.py') && file.name !== '__init__.py' && !file.name.startsWith('.'))
    .map((file) => posix.join(folder, file.name))
    .sort();
}

export async function wireStreamlitPages(
  interpreter: string,
  root: string,
  wiring: InitWiring & { pageLine: string },
  read: (path: string) => Promise<string | null>,
): Promise<PagesWiring> {
  const wired: PagesWiring = { texts: new Map(), followUps: [] };
  const pageWiring = { ...wiring, entryLines: [wiring.pageLine] };
  for (const page of await streamlitPages(root, wiring.entry)) {
    const source = await read(page);
    if (source === null) continue;
    const injection = await addPythonInit(interpreter, page, source, pageWiring);
    if (injection.kind === 'insert') wired.texts.set(page, injection.after);
    if (injection.kind === 'manual') wired.followUps.push({ page, reason: injection.reason, snippet: injection.snippet });
  }
  return wired;
}
