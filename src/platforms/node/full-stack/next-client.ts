/**
 * Next.js's ClientSide: `ez-pixel.client.ts|js` beside the instrumentation file, loaded by
 * instrumentation-client (Next 15.3+, created when missing, else given one import line) or, before
 * 15.3, rendered from the app router's root layout (two whole lines) and imported in pages/_app
 * (one line; a missing _app is created as Next's default). Uninstall takes out exactly those lines.
 */
import { existsSync } from 'node:fs';
import { posix } from 'node:path';
import type { Removal } from '../../../inject/index.js';
import { lineKey, removeLines } from '../../../inject/lines.js';
import type { FileEdit } from '../../../plan/plan.js';
import type { Project } from '../../../project.js';
import type { InitSettings } from '../../../templates/index.js';
import { nextVersion } from '../detect/next-version.js';
import { checkNextClientBuild } from '../doctor/next-client-check.js';
import { instrumentationPath } from '../templates/next.js';
import { clientImportLine, createdAppSource, createdHookFile, layoutLines, nextClientHook, nextClientInitSource } from '../templates/next-client.js';
import { addLineAfterOpening, addLineAtTop } from '../wiring/client-lines.js';
import { clientInitEdit, type ClientSide } from './client-side.js';

type ReadText = (path: string) => Promise<string | null>;

const extensions = ['tsx', 'ts', 'jsx', 'js', 'mjs'];
const jsMarked = /(\/\/ ez-pixel|\{\/\* ez-pixel \*\/\})\s*$/;

/** Where the app keeps instrumentation (root or src/) and whether its files are TypeScript. */
function appDir(project: Project): { dir: string; typed: boolean } {
  const instrumentation = instrumentationPath(project);
  return { dir: posix.dirname(instrumentation), typed: /\.m?ts$/.test(instrumentation) };
}

function initFileOf(project: Project): string {
  const { dir, typed } = appDir(project);
  return posix.join(dir, typed ? 'ez-pixel.client.ts' : 'ez-pixel.client.js');
}

/** The extensionless specifier from `file` to the init (Next's bundler resolves .ts and .js). */
function specifierFrom(file: string, init: string): string {
  const relative = posix.relative(posix.dirname(file), init).replace(/\.[jt]s$/, '');
  return relative.startsWith('.') ? relative : `./${relative}`;
}

async function firstExisting(read: ReadText, base: string): Promise<string | null> {
  for (const extension of extensions) if ((await read(`${base}.${extension}`)) !== null) return `${base}.${extension}`;
  return null;
}

/** The lines install may have put into `path`: what removal looks for. */
function ourLines(project: Project, path: string): string[] {
  const specifier = specifierFrom(path, initFileOf(project));
  const layout = layoutLines(specifier);
  return [clientImportLine(specifier), layout.importLine, layout.elementLine];
}

async function plan(project: Project, settings: InitSettings, read: ReadText): Promise<{ edits: FileEdit[]; notes: string[] }> {
  const { dir, typed } = appDir(project);
  const init = initFileOf(project);
  const hook = nextClientHook(nextVersion(project.root));
  const at = (path: string): string => posix.join(dir, path);
  const edits: FileEdit[] = [];
  const notes: string[] = [];
  const addTo = async (path: string, lines: (source: string) => Promise<{ after: string } | { present: true } | { manual: string }>, snippet: string[]): Promise<void> => {
    const source = await read(path);
    if (source === null) return;
    const placed = await lines(source);
    if ('after' in placed) edits.push({ path, before: source, after: placed.after });
    if ('manual' in placed) notes.push(`${path}: ${placed.manual}; the browser side is not loaded until you add:\n${snippet.join('\n')}`);
  };

  const component = hook === 'layout-and-app' && existsSync(posix.join(project.root, at('app')));
  const initEdit = await clientInitEdit(init, nextClientInitSource(settings, { component, typed }), settings, read);
  if (initEdit) edits.push(initEdit);

  if (hook === 'instrumentation-client') {
    const existing = await firstExisting(read, at('instrumentation-client'));
    const path = existing ?? at(`instrumentation-client.${typed ? 'ts' : 'js'}`);
    const line = clientImportLine(specifierFrom(path, init));
    if (existing === null) edits.push({ path, before: null, after: createdHookFile([line]) });
    else await addTo(path, (source) => addLineAtTop(path, source, line), [line]);
    return { edits, notes };
  }

  const layout = await firstExisting(read, at('app/layout'));
  if (layout) {
    const lines = layoutLines(specifierFrom(layout, init));
    await addTo(layout, (source) => addLineAfterOpening(layout, source, lines.importLine, ['body', 'html'], lines.elementLine), [lines.importLine, '// first inside <body> (or <html>):', lines.elementLine]);
  }
  if (existsSync(posix.join(project.root, at('pages')))) {
    const existing = await firstExisting(read, at('pages/_app'));
    const path = existing ?? at(`pages/_app.${typed ? 'tsx' : 'js'}`);
    const line = clientImportLine(specifierFrom(path, init));
    if (existing === null) edits.push({ path, before: null, after: createdAppSource(line, typed) });
    else await addTo(path, (source) => addLineAtTop(path, source, line), [line]);
  }
  return { edits, notes };
}

async function removeClientLines(project: Project, path: string, source: string): Promise<Removal> {
  const ours = new Set(ourLines(project, path).map(lineKey));
  const removal = removeLines(source, (line) => ours.has(lineKey(line)), jsMarked);
  if (removal.kind === 'edited') return { kind: 'manual', reason: 'lines marked ez-pixel were changed after install', snippet: removal.lines.join('\n') };
  return removal.count === 0 ? { kind: 'absent' } : { kind: 'remove', after: removal.after };
}

export const nextClientSide: ClientSide = {
  plan,
  removeLines: removeClientLines,
  checks: async (context) => checkNextClientBuild(context),
};
