/**
 * The entry's part in a Vue app's errors: each app it makes goes through reportVueErrors, exactly
 * reversibly. `createApp(App)` becomes `reportVueErrors(createApp(App))` (an expression, so the
 * chained `createApp(App).use(router).mount('#app')` is reached too), vite-ssg's setup callback
 * gets the marked line `reportVueErrors(ctx.app); // ez-pixel` first, and the handler's marked
 * import goes right after the init's (which stays first). Removal unwraps the calls through the AST
 * and takes the marked lines out.
 */
import type { FollowUp } from '../../../inject/index.js';
import { insertLines, lineEndingOf, lineKey } from '../../../inject/lines.js';
import type { InitWiring } from '../../../templates/index.js';
import { findVueApps, vueWraps } from './app-sites.js';
import { VUE_HANDLER, vueImportLine, vueSetupLine } from './template.js';

export type VueWiring = { kind: 'edit'; after: string } | { kind: 'present' } | { kind: 'note'; followUp: FollowUp };

/** What to add by hand where install cannot: the import, and the app passed through the handler. */
export function vueSnippet(wiring: InitWiring): string {
  return [vueImportLine(wiring), '', `const app = ${VUE_HANDLER}(createApp(App))`].join('\n');
}

function note(entryPath: string, why: string, wiring: InitWiring): VueWiring {
  return {
    kind: 'note',
    followUp: {
      reason: `Vue catches what components throw (event handlers, lifecycle hooks, watchers) and only logs it, so the page never sees it; ${entryPath}: ${why}, so pass the app to ${VUE_HANDLER} yourself`,
      snippet: vueSnippet(wiring),
    },
  };
}

/** Where `line` stands in `text` (compared as formatters leave it, lineKey), without its indentation. */
function lineRange(text: string, line: string): [number, number] | null {
  const key = lineKey(line);
  const parts = text.split(/(\r\n|\n|\r)/); // [line, eol, line, eol, ..., lastLine]
  let at = 0;
  for (let i = 0; i < parts.length; i += 2) {
    const current = parts[i] ?? '';
    if (lineKey(current.replace(/^\uFEFF/, '')) === key) return [at + current.length - current.trimStart().length, at + current.trimEnd().length];
    at += current.length + (parts[i + 1]?.length ?? 0);
  }
  return null;
}

/** `text`: the entry with the init's import in it. */
export async function wireVueErrors(entryPath: string, text: string, wiring: InitWiring): Promise<VueWiring> {
  const apps = await findVueApps(entryPath, text);
  if (apps.kind !== 'sites') return note(entryPath, apps.reason, wiring);
  const missing = apps.sites.filter((site) => !site.wired);
  if (missing.length === 0) return { kind: 'present' };
  const named = vueImportLine(wiring);
  const init = lineRange(text, wiring.entryLines[0] ?? '');
  const imported = lineRange(text, named) !== null;
  if (!init && !imported) return note(entryPath, `its import of ${wiring.specifier} is not the line install writes`, wiring);

  // From the end, so each offset still points into the text as it was read.
  let after = text;
  const eol = lineEndingOf(text);
  for (const site of [...missing].sort((a, b) => (b.kind === 'wrap' ? b.start : b.offset) - (a.kind === 'wrap' ? a.start : a.offset))) {
    if (site.kind === 'wrap') after = `${after.slice(0, site.start)}${VUE_HANDLER}(${after.slice(site.start, site.end)})${after.slice(site.end)}`;
    else after = insertLines(after, [{ offset: site.offset, lines: [site.indent + vueSetupLine(site.app)] }], eol);
  }
  // The init's import is first, before every site, so its offsets are still those of `text`.
  if (!imported && init) {
    const next = /\r\n|\n|\r|$/.exec(after.slice(init[1]))!;
    after = insertLines(after, [{ offset: init[1] + next.index + next[0].length, lines: [named] }], eol);
  }
  return { kind: 'edit', after };
}

/** Is this one of the lines wireVueErrors writes (the named import, vite-ssg's call)? */
export function isVueLine(line: string, wiring: InitWiring): boolean {
  const key = lineKey(line);
  return key === lineKey(vueImportLine(wiring)) || new RegExp(`^${VUE_HANDLER}\\([\\w$.]+\\) // ez-pixel$`).test(key);
}

/** The entry with every reportVueErrors(createApp(…)) unwrapped; null when it does not parse. */
export async function unwrapVueApps(entryPath: string, source: string): Promise<string | null> {
  if (!source.includes(VUE_HANDLER)) return source;
  const wraps = await vueWraps(entryPath, source);
  if (wraps === null) return null;
  let after = source;
  for (const { call, inner } of [...wraps].sort((a, b) => b.call[0] - a.call[0])) after = after.slice(0, call[0]) + source.slice(inner[0], inner[1]) + after.slice(call[1]);
  return after;
}
