/**
 * Full-stack frameworks: a Node project whose pages run in the browser too. Its install adds
 * @ez-pixel/browser beside @ez-pixel/node (one package-manager command, one transaction) and a
 * browser-side init; uninstall takes both out. A framework declares its browser side here, once,
 * as a ClientSide; see docs/adding-a-platform.md, "Full-stack frameworks".
 */
import type { Check } from '../../../doctor/check.js';
import type { DoctorContext } from '../../../doctor/context.js';
import type { Removal } from '../../../inject/index.js';
import type { FileEdit } from '../../../plan/plan.js';
import type { Framework, Project } from '../../../project.js';
import type { InitSettings } from '../../../templates/index.js';
import { updateInitSettings } from '../../../templates/index.js';
import { nextClientSide } from './next-client.js';
import { nuxtClientSide } from './nuxt-client.js';
import { svelteKitClientSide } from './sveltekit-client.js';
import { routerClientSide } from './react-router-client.js';

type ReadText = (path: string) => Promise<string | null>;

export interface ClientSide {
  /**
   * The browser init's files (an edit with `before: null` creates one, and uninstall deletes it by
   * its recorded hash) and the whole lines that load it in the framework's own files, planned
   * against the project as it is: a re-run plans only what is missing. What cannot be placed
   * safely is a note with the lines to add by hand, never an edit.
   */
  plan(project: Project, settings: InitSettings, read: ReadText): Promise<{ edits: FileEdit[]; notes: string[] }>;
  /** Its lines taken out of an existing file plan() added them to, giving back the file byte for byte. */
  removeLines(project: Project, path: string, source: string): Promise<Removal>;
  /**
   * The client init when the framework's own file imports it (a bundler drops it under
   * `"sideEffects": false` unless package.json lists it, as it lists the server init); none when
   * the framework loads its files itself.
   */
  importedInit?(project: Project): string[];
  /** doctor: the framework's checks of its client side (the init reached the built client bundle, its source maps). */
  checks(context: DoctorContext): Promise<Check[]>;
}

/** The framework's browser side, listed by framework: add yours here. */
const clientSides: Partial<Record<Framework, ClientSide>> = {
  next: nextClientSide,
  nuxt: nuxtClientSide,
  sveltekit: svelteKitClientSide,
  'react-router': routerClientSide,
  remix: routerClientSide,
};

export function clientSideOf(project: Pick<Project, 'framework'>): ClientSide | null {
  return clientSides[project.framework] ?? null;
}

/**
 * A generated client init file: created when missing, its key and URL brought up to date when it
 * is there (a re-run with another --ingest-url), else no edit.
 */
export async function clientInitEdit(path: string, content: string, settings: InitSettings, read: ReadText): Promise<FileEdit | null> {
  const before = await read(path);
  const after = before === null ? content : updateInitSettings(before, settings);
  return after === before ? null : { path, before, after };
}
