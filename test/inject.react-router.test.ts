// React Router framework mode's app/entry.server: created from the installed @react-router/dev's
// default (types taken out for a JS app), or edited by whole lines: the init's import first, our
// handleError appended, or one line first in the app's own; removal gives the file back byte for byte.
import { describe, expect, it } from 'vitest';
import { addInit, initLoadOrder, removeInit, type Injection } from '../src/inject/index.js';
import { initWiringFor } from '../src/templates/index.js';
import type { Project } from '../src/project.js';
import { nodeProject, settings, tempProject } from './fixtures/inject/projects.js';

// Our own default entry, shaped like React Router's: type-only imports, annotations, a cast.
const defaultTsx = [
  'import { PassThrough } from "node:stream";',
  '',
  'import type { EntryContext } from "react-router";',
  'import { ServerRouter, type UNSAFE_Thing } from "react-router";',
  '',
  'export const streamTimeout = 5_000;',
  '',
  'export default function handleRequest(request: Request, status: number, routerContext: EntryContext): Promise<Response> {',
  '  let timeoutId: ReturnType<typeof setTimeout> | undefined = setTimeout(() => {}, streamTimeout);',
  '  return Promise.resolve(new Response(new PassThrough() as unknown as BodyInit, { status }));',
  '}',
  '',
].join('\n');

function routerApp(typescript: boolean, dependencies: Record<string, string> = { '@react-router/node': '7.0.0', isbot: '5.0.0' }): Project {
  const root = tempProject({
    'package.json': JSON.stringify({ type: 'module', dependencies, devDependencies: { '@react-router/dev': '7.0.0' } }),
    'node_modules/@react-router/dev/package.json': JSON.stringify({ name: '@react-router/dev', version: '7.0.0' }),
    'node_modules/@react-router/dev/dist/config/defaults/entry.server.node.tsx': defaultTsx,
  });
  return nodeProject({ root, framework: 'react-router', typescript, entry: typescript ? 'app/entry.server.tsx' : 'app/entry.server.jsx' });
}

function inserted(injection: Injection): string {
  if (injection.kind !== 'insert') throw new Error(`expected an insert, got ${JSON.stringify(injection)}`);
  return injection.after;
}

const tsApp = routerApp(true);
const tsWiring = initWiringFor(tsApp, settings);
const add = (source: string | null, project = tsApp) => addInit(project, project.entry as string, source, initWiringFor(project, settings));

async function expectRoundTrip(source: string): Promise<string> {
  const after = inserted(await add(source));
  expect(await removeInit(tsApp, after, tsWiring)).toEqual({ kind: 'remove', after: source });
  expect(await initLoadOrder(tsApp, 'app/entry.server.tsx', after)).toEqual({ kind: 'first' });
  return after;
}

describe('React Router app/entry.server', () => {
  it('names the init .server, beside the entry, and loads it first', () => {
    expect([tsWiring.entry, tsWiring.initFile, tsWiring.entryLines[0]]).toEqual(['app/entry.server.tsx', 'app/ez-pixel.init.server.ts', "import './ez-pixel.init.server'; // ez-pixel"]);
    const js = initWiringFor(routerApp(false), settings);
    expect([js.initFile, js.entryLines[0]]).toEqual(['app/ez-pixel.init.server.mjs', "import './ez-pixel.init.server.mjs'; // ez-pixel"]);
    expect(js.files[0]?.content).toContain("import { initPixel } from '@ez-pixel/node';");
  });

  it('creates a missing TSX entry from the installed default, our lines first and handleError last', async () => {
    const created = inserted(await add(null));
    expect(created).toBe([...tsWiring.entryLines, '', defaultTsx, ...(tsWiring.reactRouter?.handleErrorBlock ?? []), ''].join('\n'));
    expect(created).toContain('export function handleError(error: unknown, args: { request: Request }) {\n  captureRouterError(error, args);\n}');
    expect(await initLoadOrder(tsApp, 'app/entry.server.tsx', created)).toEqual({ kind: 'first' });
  });

  it('creates a missing JSX entry without the types, as reveal --no-typescript does', async () => {
    const js = routerApp(false);
    const created = inserted(await add(null, js));
    expect(created).not.toMatch(/import type|type UNSAFE_Thing|: Request|: number|: EntryContext|: Promise<Response>|ReturnType|as unknown|BodyInit/);
    expect(created).toContain('import { ServerRouter } from "react-router";');
    expect(created).toContain('export default function handleRequest(request, status, routerContext) {');
    expect(created).toContain('let timeoutId = setTimeout(() => {}, streamTimeout);');
    expect(created).toContain('new Response(new PassThrough(), { status })');
    expect(created).toContain('export function handleError(error, args) {\n  captureRouterError(error, args);\n}');
  });

  it('changes nothing and says why when the default cannot be had: no @react-router/node, or nothing installed', async () => {
    const cloudflare = routerApp(true, { isbot: '5.0.0' });
    const refused = await add(null, cloudflare);
    expect(refused).toMatchObject({ kind: 'manual', reason: expect.stringContaining('needs @react-router/node among the dependencies') });
    const bare = nodeProject({ root: tempProject({ 'package.json': JSON.stringify({ dependencies: { '@react-router/node': '7', isbot: '5' } }) }), framework: 'react-router', typescript: true, entry: 'app/entry.server.tsx' });
    expect(await add(null, bare)).toMatchObject({ kind: 'manual', reason: expect.stringContaining('@react-router/dev is not installed here (its default entry.server.node.tsx') });
    if (refused.kind === 'manual') expect(refused.snippet).toContain('export function handleError(');
  });

  it('edits an existing entry without handleError: lines on top, handleError appended, LF and CRLF', async () => {
    const after = await expectRoundTrip(defaultTsx);
    expect(after.startsWith(`${tsWiring.entryLines.join('\n')}\nimport { PassThrough }`)).toBe(true);
    expect(after.endsWith(`}\n\n${tsWiring.reactRouter?.handleErrorBlock.join('\n')}\n`)).toBe(true);
    await expectRoundTrip(defaultTsx.replace(/\n/g, '\r\n'));
    await expectRoundTrip(defaultTsx.trimEnd());
  });

  it.each([
    ['export function handleError(error: unknown, { request }: LoaderFunctionArgs) {\n  console.error(error);\n}\n', '  captureRouterError(error, { request }); // ez-pixel\n  console.error(error);'],
    ['export const handleError: HandleErrorFunction = (failure, { request: req }) => {\n  console.error(failure);\n};\n', '  captureRouterError(failure, { request: req }); // ez-pixel\n  console.error(failure);'],
    ['export function handleError(error, args) {\n\tlog(error);\n}\n', '\tcaptureRouterError(error, args); // ez-pixel\n\tlog(error);'],
  ])('wraps the app\'s own handleError by one whole line first in it: %s', async (own, expected) => {
    const source = `${defaultTsx}\n${own}`;
    const after = await expectRoundTrip(source);
    expect(after).toContain(expected);
    expect(after).not.toContain('// ez-pixel: begin');
  });

  it('leaves a handleError it cannot edit to the user, with the line to add, and still wires the init', async () => {
    for (const own of ["export { handleError } from './errors';\n", 'export function handleError() {}\n']) {
      const injection = await add(`${defaultTsx}${own}`);
      expect(injection).toMatchObject({ kind: 'insert', followUp: { reason: expect.stringContaining('exports its own handleError'), snippet: 'captureRouterError(error, args); // ez-pixel' } });
      expect(inserted(injection).startsWith(tsWiring.entryLines[0] as string)).toBe(true);
    }
  });

  it('sees a wired entry as present, and leaves a changed line of ours to the user', async () => {
    const after = inserted(await add(defaultTsx));
    expect(await add(after)).toEqual({ kind: 'present' });
    const edited = after.replace("import { captureRouterError } from '@ez-pixel/node'; // ez-pixel", "import { captureRouterError, flushPixel } from '@ez-pixel/node'; // ez-pixel");
    expect(await removeInit(tsApp, edited, tsWiring)).toMatchObject({ kind: 'manual' });
  });
});
