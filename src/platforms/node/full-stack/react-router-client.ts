/**
 * React Router's and Remix's ClientSide: app/ez-pixel.init.client.(ts|js) (VITE_EZ_PIXEL_* with
 * the written values as fallback when Vite builds it; the written values with Remix's classic
 * compiler), loaded first by app/entry.client, created from the installed default when the app has
 * none, whose HydratedRouter gets onError (wiring/react-router-client.ts). doctor: the built client
 * (build/client, or public/build from the classic compiler) holds the browser init and never the
 * Node SDK, with source maps.
 */
import type { FileEdit } from '../../../plan/plan.js';
import type { Project } from '../../../project.js';
import type { InitSettings } from '../../../templates/index.js';
import { checkClientChunks } from '../doctor/client-chunks.js';
import { routerBuild, routerOf, type RouterFramework } from '../frameworks/routers.js';
import { nodeBuildCommand } from '../package-managers.js';
import { clientImportLine, clientInitFile, CLIENT_HANDLER, routerClientInitSource, routerProp } from '../templates/react-router-client.js';
import { removeClientLines, wireClientEntry } from '../wiring/react-router-client.js';
import { clientInitEdit, type ClientSide } from './client-side.js';

type ReadText = (path: string) => Promise<string | null>;

function routerIn(project: Project): RouterFramework {
  const router = routerOf(project.framework);
  if (!router) throw new Error(`${project.framework} is not React Router or Remix`);
  return router;
}

async function clientEntryPath(project: Project, read: ReadText): Promise<string> {
  for (const extension of ['tsx', 'jsx', 'ts', 'js']) if ((await read(`app/entry.client.${extension}`)) !== null) return `app/entry.client.${extension}`;
  return `app/entry.client.${project.typescript ? 'tsx' : 'jsx'}`;
}

async function plan(project: Project, settings: InitSettings, read: ReadText): Promise<{ edits: FileEdit[]; notes: string[] }> {
  const router = routerIn(project);
  const edits: FileEdit[] = [];
  const notes: string[] = [];
  const shape = { typed: project.typescript, handler: router.rootTakesOnError, vite: routerBuild(project.root, router).vite };
  const initEdit = await clientInitEdit(clientInitFile(project.typescript), routerClientInitSource(settings, shape), settings, read);
  if (initEdit) edits.push(initEdit);
  const path = await clientEntryPath(project, read);
  const source = await read(path);
  const entry = await wireClientEntry(project.root, router, path, source);
  if (entry.kind === 'edit') edits.push({ path, before: source, after: entry.after });
  if (entry.kind === 'edit' && entry.note) notes.push(`${path}: ${entry.note}`);
  if (entry.kind === 'manual') {
    const prop = router.rootTakesOnError ? `\n// and on <${router.browserRoot}>:${routerProp('onError')}` : '';
    notes.push(`${entry.reason}; the browser side is not loaded until you add, first in your client entry:\n${clientImportLine(router.rootTakesOnError)}${prop}`);
  }
  return { edits, notes };
}

export const routerClientSide: ClientSide = {
  plan,
  importedInit: (project) => [clientInitFile(project.typescript)],
  removeLines: async (_project, _path, source) => removeClientLines(source),
  checks: (context) => {
    const router = routerIn(context.project);
    const build = routerBuild(context.project.root, router);
    return checkClientChunks(context.project.root, {
      dir: build.client,
      nodeOnlyFrom: `app/entry.server and its ez-pixel.init.server${router.rootTakesOnError ? `; keep ${CLIENT_HANDLER} in app/ez-pixel.init.client` : ''}`,
      mapsSwitch: build.mapsSwitch,
      rebuild: `rebuild, then restart: ${nodeBuildCommand(context.project.packageManager)}`,
    });
  },
};
