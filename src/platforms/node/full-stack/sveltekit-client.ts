/**
 * SvelteKit's ClientSide: `ez-pixel.client.ts|js` beside the client hooks file starts
 * @ez-pixel/browser and reports what load functions and rendering throw during client-side
 * navigation, from handleError in src/hooks.client.ts (kit.files.hooks moves it): created, or
 * given our import first and our handleError (or one line first in the app's own), as on the
 * server. Uncaught errors of event handlers reach the SDK's own window listeners.
 */
import { posix } from 'node:path';
import type { Removal } from '../../../inject/index.js';
import type { FileEdit } from '../../../plan/plan.js';
import type { Project } from '../../../project.js';
import type { InitSettings } from '../../../templates/index.js';
import { ProjectFiles } from '../../../detectors/project-files.js';
import { checkSvelteKitClientBuild } from '../doctor/sveltekit.js';
import { svelteKitHookFile, svelteKitHooks } from '../frameworks/sveltekit.js';
import { svelteKitClientInitSource, svelteKitClientPieces } from '../templates/sveltekit.js';
import { addSvelteKitHooks, removeSvelteKitHooks } from '../wiring/sveltekit-hooks.js';
import { clientInitEdit, type ClientSide } from './client-side.js';

type ReadText = (path: string) => Promise<string | null>;

/** The client hooks file (existing or to create) and the init beside it. */
async function clientFiles(project: Project): Promise<{ hooks: string; init: string; typed: boolean }> {
  const files = new ProjectFiles(project.root);
  const hooks = await svelteKitHookFile(files, (await svelteKitHooks(files)).client, project.typescript);
  const typed = /\.m?ts$/.test(hooks.path);
  return { hooks: hooks.path, init: posix.join(posix.dirname(hooks.path), typed ? 'ez-pixel.client.ts' : 'ez-pixel.client.js'), typed };
}

async function plan(project: Project, settings: InitSettings, read: ReadText): Promise<{ edits: FileEdit[]; notes: string[] }> {
  const { hooks, init, typed } = await clientFiles(project);
  const edits: FileEdit[] = [];
  const notes: string[] = [];
  const initEdit = await clientInitEdit(init, svelteKitClientInitSource(settings, typed), settings, read);
  if (initEdit) edits.push(initEdit);
  const source = await read(hooks);
  const pieces = svelteKitClientPieces(typed);
  const wired = await addSvelteKitHooks(hooks, source, pieces);
  if (wired.kind === 'insert') {
    edits.push({ path: hooks, before: source, after: wired.after });
    if (wired.followUp) notes.push(`${wired.followUp.reason}:\n${wired.followUp.snippet}`);
  }
  if (wired.kind === 'manual') notes.push(`${hooks}: ${wired.reason}; the browser side is not loaded until you add:\n${wired.snippet}`);
  return { edits, notes };
}

async function removeClientLines(_project: Project, path: string, source: string): Promise<Removal> {
  return removeSvelteKitHooks(source, svelteKitClientPieces(/\.m?ts$/.test(path)));
}

export const svelteKitClientSide: ClientSide = {
  plan,
  removeLines: removeClientLines,
  checks: checkSvelteKitClientBuild,
};
