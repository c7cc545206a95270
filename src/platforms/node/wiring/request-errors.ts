/**
 * Wiring the frameworks' request-error hooks (templates/request-errors.ts) into the file that
 * creates the app: the entry, or a file it imports (`src/index.js` listens, `src/app.js` creates
 * the app). Each hook's import goes at the top of that file and only with its registration, so no
 * import is ever left unused. A hook that cannot be placed is handed back as a follow-up.
 */
import type { InitWiring } from '../../../templates/index.js';
import { hookSnippet } from '../templates/node.js';
import type { HookVariant, RequestErrorHook } from '../templates/request-errors.js';
import { filesLoadedFrom, type SourceFileText } from './app-files.js';
import { projectAliases } from './path-aliases.js';
import { placeHook } from './hook-placement.js';
import { earlierFlagStatement, flagStatement } from './next-config.js';
import { lineBefore, loadsInit, parseFile, release, statementsAfterDirectives, type ParsedFile } from './js-ast.js';
import { indentationAt, insertLines, lineEndingOf, lineKey, lineStartAt, removeLines, type LineInsertion, type LineRemoval } from '../../../inject/lines.js';

export interface HookWiring {
  /** Files whose text changes: path → the new text. The entry's is its text after the init line too. */
  texts: Map<string, string>;
  followUps: { reason: string; snippet: string }[];
}

export async function wireRequestErrors(
  entry: SourceFileText,
  hooks: RequestErrorHook[],
  read: (path: string) => Promise<string | null>,
): Promise<HookWiring> {
  const wiring: HookWiring = { texts: new Map(), followUps: [] };
  if (hooks.length === 0) return wiring;
  const files = await filesLoadedFrom(entry, read, await projectAliases(read));
  const insertions = new Map<string, LineInsertion[]>();
  for (const hook of hooks) {
    const found = await locate(hook, files, entry.path);
    if (found.kind === 'present') continue;
    if (found.kind === 'follow-up') {
      wiring.followUps.push({ reason: found.reason, snippet: hookSnippet(hook).join('\n') });
      continue;
    }
    const list = insertions.get(found.file.path) ?? [];
    list.push({ offset: found.importAt.offset, lines: [found.importAt.indent + hook.importLine] });
    const variant = found.hookAt.variant;
    const hookLine = variant ? hook.variantLines?.[variant] : hook.hookLine;
    if (hookLine === undefined) throw new Error(`${hook.framework} has no ${variant} registration`);
    list.push({ offset: found.hookAt.offset, lines: [found.hookAt.indent + hookLine.replace(/\{app\}/g, found.app)] });
    insertions.set(found.file.path, list);
  }
  for (const file of files) {
    const list = insertions.get(file.path);
    if (list) wiring.texts.set(file.path, insertLines(file.text, list, lineEndingOf(file.text)));
  }
  return wiring;
}

type Located =
  | { kind: 'present' }
  | { kind: 'follow-up'; reason: string }
  | { kind: 'at'; file: SourceFileText; app: string; importAt: { offset: number; indent: string }; hookAt: { offset: number; indent: string; variant?: HookVariant } };

async function locate(hook: RequestErrorHook, files: SourceFileText[], entryPath: string): Promise<Located> {
  const places: Located[] = [];
  const doubts: string[] = [];
  for (const file of files) {
    if (file.text.split(/\r\n|\n|\r/).some((line) => lineKey(line) === lineKey(hook.importLine))) return { kind: 'present' };
    const result = await parseFile(file.path, file.text);
    if (result.kind === 'error') continue;
    const { parsed } = result;
    try {
      const placement = placeHook(parsed, hook.framework, file.path === entryPath);
      if (placement.kind === 'none') continue;
      if (placement.kind === 'ambiguous') {
        doubts.push(`${file.path}: ${placement.reason}`);
        continue;
      }
      const importAt = importPlacement(parsed, file.path === entryPath);
      if (importAt.kind === 'ambiguous') {
        doubts.push(`${file.path}: ${importAt.reason}`);
        continue;
      }
      places.push({ kind: 'at', file, app: placement.app, importAt, hookAt: placement });
    } finally {
      release(parsed);
    }
  }
  const where = files.length > 1 ? `${entryPath} or the ${files.length - 1} file(s) it imports` : entryPath;
  if (places.length === 1 && doubts.length === 0) return places[0] as Located;
  // Sub-apps (a Hono router per file, mounted with app.route()) are created too: the entry's app is the one served.
  const inEntry = places.find((place) => place.kind === 'at' && place.file.path === entryPath);
  if (inEntry) return inEntry;
  if (places.length > 1) {
    const paths = places.map((place) => (place.kind === 'at' ? place.file.path : '')).join(', ');
    return { kind: 'follow-up', reason: `${hook.framework} apps are created in several files (${paths}); add the hook to the one that serves requests` };
  }
  if (doubts.length > 0) return { kind: 'follow-up', reason: `cannot place the ${hook.framework} hook safely (${doubts.join('; ')}); add it by hand` };
  return { kind: 'follow-up', reason: `no ${hook.framework} app is created in ${where}; add the hook where your app is created` };
}

/** In the entry, right after the init line (it must stay first); elsewhere before the first statement. */
function importPlacement(parsed: ParsedFile, isEntry: boolean): ReturnType<typeof lineBefore> {
  const statements = statementsAfterDirectives(parsed, parsed.file.getStatements());
  const init = isEntry ? statements.find((statement) => loadsInit(parsed, statement)) : undefined;
  if (init) {
    const next = statements[statements.indexOf(init) + 1];
    if (next) return lineBefore(parsed, next);
    const lineStart = lineStartAt(parsed.text, init.getStart());
    return { kind: 'at', offset: parsed.text.length + parsed.shift, indent: indentationAt(parsed.text, lineStart) };
  }
  const first = statements[0];
  return first ? lineBefore(parsed, first) : { kind: 'at', offset: parsed.text.length + parsed.shift, indent: '' };
}

/** Recognises our hook lines after a formatter: the import as written, the registration with any app name. */
export function hookLineMatcher(hooks: RequestErrorHook[]): (line: string) => boolean {
  return linesMatcher(hooks.flatMap(hookLines));
}

/** Every line a hook may have added. */
function hookLines(hook: RequestErrorHook): string[] {
  return [hook.importLine, hook.hookLine, ...Object.values(hook.variantLines ?? {})];
}

/** Lines as lineKey sees them; `{app}` in one stands for any identifier (the same one each time). */
function linesMatcher(lines: string[]): (line: string) => boolean {
  const patterns = lines.map((line) => registrationPattern(lineKey(line)));
  return (line) => patterns.some((pattern) => pattern.test(lineKey(line)));
}

/** `{app}.use(expressErrorHandler()); // ez-pixel` with any identifier for {app} (the same one each time). */
function registrationPattern(line: string): RegExp {
  const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const parts = line.split('{app}').map(escape);
  // An identifier, or `arguments[0]` (tRPC's call variant in a method).
  const body = parts.length === 1 ? parts[0] : `${parts[0]}([A-Za-z_$][\\w$]*(?:\\[0\\])?)${parts.slice(1).join('\\1')}`;
  return new RegExp(`^${body}$`);
}

/** Takes our lines out of a file other than the entry (removeInit does the entry): hooks, and Next.js 13.2–14's config flag. */
export function removeRequestErrorHooks(source: string, wiring: InitWiring): LineRemoval {
  const next = wiring.next ? [wiring.next.configLine, wiring.next.flagLine, flagStatement, earlierFlagStatement] : [];
  const ours = linesMatcher([...wiring.requestErrors.flatMap(hookLines), ...next]);
  return removeLines(source, ours, /\/\/ ez-pixel(?::|\s*$)/);
}
