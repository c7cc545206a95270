// Remix v2's entries, wired by React Router's mechanism with Remix's packages: app/entry.server
// created from the installed @remix-run/dev's default (it needs @remix-run/node and isbot) or edited
// by whole lines, with captureRouterError in handleError; app/entry.client gets the init's import
// first and nothing on <RemixBrowser> (it has no onError), said in a note; the browser init reads
// VITE_EZ_PIXEL_* when a vite.config loads Remix's plugin, the written values with the classic
// compiler; removal gives each file back byte for byte.
import { describe, expect, it } from 'vitest';
import { addInit, removeInit, type Injection } from '../src/inject/index.js';
import { routerBuild, routerFrameworks } from '../src/platforms/node/frameworks/routers.js';
import { clientImportLine, routerClientInitSource } from '../src/platforms/node/templates/react-router-client.js';
import { removeClientLines, wireClientEntry } from '../src/platforms/node/wiring/react-router-client.js';
import { updateInitSettings, initWiringFor } from '../src/templates/index.js';
import type { Project } from '../src/project.js';
import { nodeProject, settings, tempProject } from './fixtures/inject/projects.js';

const remix = routerFrameworks.remix;

// Our own defaults, shaped like @remix-run/dev 2.17's dist/config/defaults.
const defaultServer = [
  'import { PassThrough } from "node:stream";',
  '',
  'import type { AppLoadContext, EntryContext } from "@remix-run/node";',
  'import { createReadableStreamFromReadable } from "@remix-run/node";',
  'import { RemixServer } from "@remix-run/react";',
  '',
  'export default function handleRequest(request: Request, responseStatusCode: number, remixContext: EntryContext, loadContext: AppLoadContext) {',
  '  return new Response(createReadableStreamFromReadable(new PassThrough()), { status: responseStatusCode });',
  '}',
  '',
].join('\n');
const defaultClient = [
  'import { RemixBrowser } from "@remix-run/react";',
  'import { startTransition, StrictMode } from "react";',
  'import { hydrateRoot } from "react-dom/client";',
  '',
  'startTransition(() => {',
  '  hydrateRoot(',
  '    document,',
  '    <StrictMode>',
  '      <RemixBrowser />',
  '    </StrictMode>',
  '  );',
  '});',
  '',
].join('\n');

function remixApp(typescript: boolean, dependencies: Record<string, string> = { '@remix-run/node': '2.17.5', isbot: '4.4.0' }, files: Record<string, string> = {}): Project {
  const root = tempProject({
    'package.json': JSON.stringify({ type: 'module', dependencies, devDependencies: { '@remix-run/dev': '2.17.5' } }),
    'node_modules/@remix-run/dev/package.json': JSON.stringify({ name: '@remix-run/dev', version: '2.17.5' }),
    'node_modules/@remix-run/dev/dist/config/defaults/entry.server.node.tsx': defaultServer,
    'node_modules/@remix-run/dev/dist/config/defaults/entry.client.tsx': defaultClient,
    ...files,
  });
  return nodeProject({ root, framework: 'remix', typescript, entry: typescript ? 'app/entry.server.tsx' : 'app/entry.server.jsx' });
}

function inserted(injection: Injection): string {
  if (injection.kind !== 'insert') throw new Error(`expected an insert, got ${JSON.stringify(injection)}`);
  return injection.after;
}

const tsApp = remixApp(true);
const tsWiring = initWiringFor(tsApp, settings);
const add = (source: string | null, project = tsApp) => addInit(project, project.entry as string, source, initWiringFor(project, settings));

describe('Remix v2 app/entry.server', () => {
  it('creates a missing entry from the installed @remix-run/dev default, the init first and a handleError handing errors to captureRouterError', async () => {
    const created = inserted(await add(null));
    expect(created).toBe([...tsWiring.entryLines, '', defaultServer, ...(tsWiring.reactRouter?.handleErrorBlock ?? []), ''].join('\n'));
    expect(created).toContain('export function handleError(error: unknown, args: { request: Request }) {\n  captureRouterError(error, args);\n}');
    const js = inserted(await add(null, remixApp(false)));
    expect(js).toContain('export default function handleRequest(request, responseStatusCode, remixContext, loadContext) {');
    expect(js).not.toMatch(/import type|: EntryContext|: Request/);
  });

  it("edits the app's own entry and its handleError by whole lines, and takes them back byte for byte (LF, CRLF)", async () => {
    const own = `${defaultServer}\nexport function handleError(error: unknown, { request }: LoaderFunctionArgs | ActionFunctionArgs) {\n  if (!request.signal.aborted) console.error(error);\n}\n`;
    for (const source of [own, own.replace(/\n/g, '\r\n'), defaultServer]) {
      const after = inserted(await add(source));
      expect(after.startsWith(tsWiring.entryLines[0] as string)).toBe(true);
      expect(await removeInit(tsApp, after, tsWiring)).toEqual({ kind: 'remove', after: source });
    }
    expect(inserted(await add(own))).toContain('{\n  captureRouterError(error, { request }); // ez-pixel\n  if (!request.signal.aborted)');
  });

  it('says what is missing instead of creating an entry Remix cannot run: no @remix-run/node, or @remix-run/dev not installed', async () => {
    expect(await add(null, remixApp(true, { isbot: '4.4.0' }))).toMatchObject({ kind: 'manual', reason: expect.stringContaining("Remix's default server entry needs @remix-run/node among the dependencies") });
    const bare = nodeProject({ root: tempProject({ 'package.json': JSON.stringify({ dependencies: { '@remix-run/node': '2', isbot: '4' } }) }), framework: 'remix', typescript: true, entry: 'app/entry.server.tsx' });
    expect(await addInit(bare, 'app/entry.server.tsx', null, initWiringFor(bare, settings))).toMatchObject({ kind: 'manual', reason: expect.stringContaining('@remix-run/dev is not installed here') });
  });
});

describe('Remix v2 app/entry.client', () => {
  it('creates a missing entry from the installed default with the init imported first, RemixBrowser untouched, and a note on the render errors it cannot see', async () => {
    const edit = await wireClientEntry(tsApp.root, remix, 'app/entry.client.tsx', null);
    expect(edit).toMatchObject({ kind: 'edit', after: `import './ez-pixel.init.client'; // ez-pixel\n${defaultClient}` });
    expect(edit.kind === 'edit' && edit.note).toContain('<RemixBrowser> takes no onError');
    if (edit.kind !== 'edit') return;
    expect(await wireClientEntry(tsApp.root, remix, 'app/entry.client.tsx', edit.after)).toEqual({ kind: 'present' });
    expect(removeClientLines(edit.after)).toEqual({ kind: 'remove', after: defaultClient });
    const crlf = defaultClient.replace(/\n/g, '\r\n');
    const edited = await wireClientEntry(tsApp.root, remix, 'app/entry.client.jsx', crlf);
    expect(edited.kind === 'edit' && removeClientLines(edited.after)).toEqual({ kind: 'remove', after: crlf });
    expect(clientImportLine(false)).toBe("import './ez-pixel.init.client'; // ez-pixel");
  });

  it('builds with Vite when a vite.config loads @remix-run/dev, else with the classic compiler (build/index.js, public/build)', () => {
    const vite = remixApp(true, undefined, { 'vite.config.ts': 'import { vitePlugin as remix } from "@remix-run/dev";\nexport default { plugins: [remix()] };\n' });
    const vitest = remixApp(true, undefined, { 'vite.config.ts': 'export default { test: {} };\n' });
    expect(routerBuild(vite.root, remix)).toMatchObject({ server: 'build/server/index.js', client: 'build/client', vite: true });
    expect(routerBuild(vitest.root, remix)).toMatchObject({ server: 'build/index.js', client: 'public/build', vite: false, mapsSwitch: '--sourcemap on remix build (the build script)' });
    expect(routerBuild(tsApp.root, routerFrameworks['react-router']).vite).toBe(true);
  });

  it('writes a browser init with no handler: VITE_EZ_PIXEL_* under Vite, the written values only under the classic compiler (a re-run updates them)', () => {
    const vite = routerClientInitSource(settings, { typed: true, handler: false, vite: true });
    expect(vite).toContain("import { initPixel } from '@ez-pixel/browser';");
    expect(vite).toContain('projectKey: import.meta.env.VITE_EZ_PIXEL_PROJECT_KEY || fallbackProjectKey,');
    expect(vite).not.toContain('reportRouterError');
    const classic = routerClientInitSource(settings, { typed: true, handler: false, vite: false });
    expect(classic).not.toContain('import.meta');
    expect(classic).toContain('initPixel({ projectKey: fallbackProjectKey, ingestUrl: fallbackIngestUrl });');
    const moved = updateInitSettings(classic, { ...settings, ingestUrl: 'https://pixel.example.com/ingest' });
    expect(moved).toContain("const fallbackIngestUrl = 'https://pixel.example.com/ingest';");
  });
});
