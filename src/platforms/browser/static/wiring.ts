/**
 * A static site's wiring: the two <script> lines into every page that runs JavaScript (index.html,
 * the entry, and the others, recorded as install.json's hookFiles so uninstall takes theirs out
 * too). A page added after install is wired by the next run; a page the lines cannot be placed in
 * is said with the lines to add by hand, on every run, until it is fixed.
 */
import type { EntryWiring, FollowUp, Injection, LoadOrder, Removal } from '../../../inject/index.js';
import type { Project } from '../../../project.js';
import type { InitWiring } from '../../../templates/index.js';
import { readPage } from './page.js';
import { addPageTags, pageTagOrder, removePageTags } from './page-tags.js';
import { siteScripts, sitePages } from './site.js';

type ReadText = (path: string) => Promise<string | null>;

/** The entry page alone (addInit): the lines before its first script. */
export async function addStaticInit(project: Project, entryPath: string, source: string | null): Promise<Injection> {
  if (source === null) return { kind: 'manual', reason: `${entryPath} does not exist`, snippet: '' };
  return addPageTags(entryPath, source, siteScripts(project.root));
}

/** Every page that runs JavaScript and does not load the SDK yet, with its new text; and the ones to do by hand. */
export async function wireStaticSite(project: Project, entryPath: string, source: string | null, _wiring: InitWiring, read: ReadText): Promise<EntryWiring> {
  const scripts = siteScripts(project.root);
  const texts = new Map<string, string>();
  const followUps: FollowUp[] = [];
  for (const page of await sitePages(project.root)) {
    const text = page === entryPath ? source : await read(page);
    if (text === null || !readPage(text).runsScript) continue;
    const placement = addPageTags(page, text, scripts);
    if (placement.kind === 'insert') texts.set(page, placement.after);
    if (placement.kind !== 'manual') continue;
    // The entry that cannot be wired makes the whole install a manual one; another page is said and left.
    if (page === entryPath) return placement;
    followUps.push({ reason: `${placement.reason} (the rest of the site is wired)`, snippet: placement.snippet });
  }
  if (texts.size === 0 && followUps.length === 0) return { kind: 'present' };
  return { kind: 'wired', texts, followUps };
}

export async function removeStaticTags(source: string): Promise<Removal> {
  return removePageTags(source);
}

export async function staticLoadOrder(_project: Project, _entryPath: string, source: string): Promise<LoadOrder> {
  return pageTagOrder(source);
}
