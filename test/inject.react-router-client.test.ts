// React Router's browser side in app/entry.client: the client init's import first, HydratedRouter's
// onError set to the init's handler (named as the installed react-router declares it), a missing
// entry created from the installed default; removal gives the file back byte for byte.
import { describe, expect, it } from 'vitest';
import { routerFrameworks } from '../src/platforms/node/frameworks/routers.js';
import { clientImportLine, routerClientInitSource } from '../src/platforms/node/templates/react-router-client.js';
import { onErrorProp, removeClientLines, wireClientEntry } from '../src/platforms/node/wiring/react-router-client.js';
import { settings, tempProject } from './fixtures/inject/projects.js';

// Our own default client entry, shaped like React Router's.
const defaultClient = [
  'import { startTransition, StrictMode } from "react";',
  'import { hydrateRoot } from "react-dom/client";',
  'import { HydratedRouter } from "react-router/dom";',
  '',
  'startTransition(() => {',
  '  hydrateRoot(',
  '    document,',
  '    <StrictMode>',
  '      <HydratedRouter />',
  '    </StrictMode>,',
  '  );',
  '});',
  '',
].join('\n');

/** A project whose installed react-router declares `prop` among HydratedRouter's props (none: null). */
function routerApp(prop: string | null): string {
  const props = prop ? `    /** docs */\n    ${prop}?: ClientOnErrorFunction;\n` : '';
  return tempProject({
    'package.json': '{ "type": "module" }',
    'node_modules/react-router/package.json': '{ "name": "react-router", "version": "7.16.0" }',
    'node_modules/react-router/dist/development/dom-export.d.ts': `interface HydratedRouterProps {\n    getContext?: unknown;\n${props}}\n`,
    'node_modules/@react-router/dev/package.json': '{ "name": "@react-router/dev" }',
    'node_modules/@react-router/dev/dist/config/defaults/entry.client.tsx': defaultClient,
  });
}

const app = routerApp('onError');
const reactRouter = routerFrameworks['react-router'];

async function edited(root: string, source: string | null, path = 'app/entry.client.tsx'): Promise<{ after: string; note?: string }> {
  const edit = await wireClientEntry(root, reactRouter, path, source);
  if (edit.kind !== 'edit') throw new Error(`expected an edit, got ${JSON.stringify(edit)}`);
  return edit;
}

describe('React Router app/entry.client', () => {
  it('reads the prop name from the installed react-router: onError, unstable_onError (7.8), or none', () => {
    expect([onErrorProp(app), onErrorProp(routerApp('unstable_onError')), onErrorProp(routerApp(null)), onErrorProp(tempProject())]).toEqual(['onError', 'unstable_onError', null, null]);
  });

  it('creates a missing entry from the installed default, with the import first and the prop on HydratedRouter', async () => {
    const { after, note } = await edited(app, null);
    expect(note).toBeUndefined();
    expect(after).toBe(`${clientImportLine(true)}\n${defaultClient.replace('<HydratedRouter />', '<HydratedRouter onError={reportRouterError} /* ez-pixel */ />')}`);
    expect(await wireClientEntry(app, reactRouter, 'app/entry.client.tsx', after)).toEqual({ kind: 'present' });
  });

  it('edits an existing entry and takes the edit back byte for byte (LF, CRLF, a multi-line HydratedRouter, unstable_onError)', async () => {
    const multiLine = defaultClient.replace('<HydratedRouter />', '<HydratedRouter\n        getContext={getContext}\n      />');
    for (const [root, source] of [[app, defaultClient], [app, defaultClient.replace(/\n/g, '\r\n')], [app, multiLine], [routerApp('unstable_onError'), defaultClient]] as const) {
      const { after } = await edited(root, source, 'app/entry.client.jsx');
      expect(after).toMatch(/<HydratedRouter (unstable_)?onError=\{reportRouterError\} \/\* ez-pixel \*\//);
      expect(removeClientLines(after)).toEqual({ kind: 'remove', after: source });
    }
    expect(removeClientLines(defaultClient)).toEqual({ kind: 'absent' });
  });

  it("leaves the app's own onError, a router other than HydratedRouter and an old react-router to the user, with a note, and still imports the init", async () => {
    const own = await edited(app, defaultClient.replace('<HydratedRouter />', '<HydratedRouter onError={log} />'));
    expect(own.note).toContain('passes its own onError to HydratedRouter; add this first in it');
    expect(own.note).toContain('reportRouterError(error, info); // ez-pixel');
    const other = await edited(app, 'import { RouterProvider } from "react-router";\nrender(<RouterProvider router={router} />);\n');
    expect(other.note).toContain('renders no <HydratedRouter>');
    const old = await edited(routerApp(null), defaultClient);
    expect(old.note).toContain('has no HydratedRouter onError');
    for (const edit of [own, other]) expect(edit.after.startsWith(clientImportLine(true))).toBe(true);
    // Before 7.8 nothing calls reportRouterError: the import is for its effects alone, so biome's
    // `check --write --unsafe` in a pre-commit hook (react-router-framework-playground, 7.4) keeps it.
    expect(old.after).toBe(`${clientImportLine(false)}\n${defaultClient}`);
    expect(await wireClientEntry(routerApp(null), reactRouter, 'app/entry.client.tsx', old.after)).toEqual({ kind: 'present' });
    expect(removeClientLines(old.after)).toEqual({ kind: 'remove', after: defaultClient });
    expect(await wireClientEntry(tempProject(), reactRouter, 'app/entry.client.tsx', null)).toMatchObject({ kind: 'manual', reason: expect.stringContaining('@react-router/dev is not installed here') });
  });

  it('writes a browser init that reports render errors only, keyed from VITE_EZ_PIXEL_*', () => {
    const ts = routerClientInitSource(settings, { typed: true, handler: true, vite: true });
    expect(ts).toContain("import { initPixel, reportPixel } from '@ez-pixel/browser';");
    expect(ts).toContain('projectKey: import.meta.env.VITE_EZ_PIXEL_PROJECT_KEY || fallbackProjectKey,');
    expect(ts).toContain(`const fallbackIngestUrl = '${settings.ingestUrl}';`);
    expect(ts).toContain("export function reportRouterError(error: unknown, info?: { errorInfo?: unknown }) {\n  if (info?.errorInfo) reportPixel('render failed', { error });\n}");
    expect(routerClientInitSource(settings, { typed: false, handler: true, vite: true })).toContain('export function reportRouterError(error, info) {');
  });
});
