/**
 * app/entry.client's part in the browser side: the import of the client init as its first line,
 * and HydratedRouter's onError prop set to the init's handler (inserted inside the element's
 * opening tag, marked, as Next's `async /* ez-pixel *\/` is). A missing entry is created from the
 * installed default. The prop's name is what the installed react-router declares (onError since
 * 7.9, unstable_onError in 7.8); before that, and with Remix's RemixBrowser (which has none), only
 * the page's error listeners report.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Removal } from '../../../inject/index.js';
import { lineKey, removeLines } from '../../../inject/lines.js';
import type { InitWiring } from '../../../templates/index.js';
import type { RouterFramework } from '../frameworks/routers.js';
import { CLIENT_HANDLER, clientImportLine, routerProp } from '../templates/react-router-client.js';
import { addNodeInit } from './entry.js';
import { parseFile, release } from './js-ast.js';
import { defaultClientEntry } from './react-router-default.js';

export type ClientEntryEdit = { kind: 'edit'; after: string; note?: string } | { kind: 'present' } | { kind: 'manual'; reason: string };

/** The name HydratedRouter's props give the error handler in the installed react-router, or null. */
export function onErrorProp(root: string): string | null {
  try {
    const pkg = dirname(createRequire(join(root, 'package.json')).resolve('react-router/package.json'));
    const types = readFileSync(join(pkg, 'dist', 'development', 'dom-export.d.ts'), 'utf8');
    const props = /interface HydratedRouterProps \{[\s\S]*?\n\}/.exec(types)?.[0] ?? '';
    return ['onError', 'unstable_onError'].find((name) => new RegExp(`^\\s+${name}\\?:`, 'm').test(props)) ?? null;
  } catch {
    return null;
  }
}

/** What the entry gets for the root component's errors when it has no onError: nothing, said why. */
function noOnErrorNote(router: RouterFramework): string {
  if (router.rootTakesOnError) return `the installed react-router has no HydratedRouter onError (it arrived in 7.8): render errors its error boundaries catch are not reported; upgrade react-router, then run install again`;
  return `<${router.browserRoot}> takes no onError: a route component's render error, which its ErrorBoundary catches before any error listener, is not reported (report it from the ErrorBoundary with reportPixel from @ez-pixel/browser); the page's uncaught errors and rejections are`;
}

export async function wireClientEntry(root: string, router: RouterFramework, entryPath: string, source: string | null): Promise<ClientEntryEdit> {
  const prop = router.rootTakesOnError ? onErrorProp(root) : null;
  let text = source;
  if (text === null) {
    const entry = await defaultClientEntry(root, router, /\.tsx?$/.test(entryPath));
    if (entry.kind === 'missing') return { kind: 'manual', reason: `${entryPath} does not exist and cannot be created: ${entry.reason}` };
    text = entry.text;
  }
  // With no onError to set, nothing calls the handler: the init is imported for its effects alone, which a
  // lint fix deleting unused imports (biome check --write --unsafe in a pre-commit hook) keeps.
  const line = clientImportLine(prop !== null);
  const imported = await addNodeInit(entryPath, text, { entryLines: [line], importStatement: line } as InitWiring);
  if (imported.kind === 'present') return { kind: 'present' };
  if (imported.kind === 'manual') return { kind: 'manual', reason: imported.reason };
  if (prop === null) return { kind: 'edit', after: imported.after, note: noOnErrorNote(router) };
  const result = await parseFile(entryPath, imported.after);
  if (result.kind === 'error') return { kind: 'manual', reason: `cannot parse ${entryPath} (${result.reason})` };
  const { parsed } = result;
  try {
    const { Node } = parsed;
    const element = parsed.file.getDescendants().find((node) => (Node.isJsxSelfClosingElement(node) || Node.isJsxOpeningElement(node)) && node.getTagNameNode().getText() === router.browserRoot);
    const lines = `${CLIENT_HANDLER}(error, info); // ez-pixel`;
    if (!element || !(Node.isJsxSelfClosingElement(element) || Node.isJsxOpeningElement(element))) {
      return { kind: 'edit', after: imported.after, note: `${entryPath} renders no <${router.browserRoot}>: pass onError={${CLIENT_HANDLER}} to the router it renders so render errors are reported` };
    }
    if (element.getAttributes().some((attribute) => Node.isJsxAttribute(attribute) && ['onError', 'unstable_onError'].includes(attribute.getNameNode().getText()))) {
      return { kind: 'edit', after: imported.after, note: `${entryPath} passes its own onError to ${router.browserRoot}; add this first in it so render errors are reported:\n${lines}` };
    }
    const at = element.getTagNameNode().getEnd() + parsed.shift;
    return { kind: 'edit', after: imported.after.slice(0, at) + routerProp(prop) + imported.after.slice(at) };
  } finally {
    release(parsed);
  }
}

/** The entry as it was: our import line and our prop out (whichever name it was written with). */
export function removeClientLines(source: string): Removal {
  let text = source;
  for (const prop of ['onError', 'unstable_onError']) text = text.split(routerProp(prop)).join('');
  const ours = [true, false].map((withHandler) => lineKey(clientImportLine(withHandler)));
  const lines = removeLines(text, (line) => ours.includes(lineKey(line)), /\/\/ ez-pixel\s*$/);
  if (lines.kind === 'edited') return { kind: 'manual', reason: 'lines marked ez-pixel were changed after install', snippet: lines.lines.join('\n') };
  return lines.after === source ? { kind: 'absent' } : { kind: 'remove', after: lines.after };
}
