/**
 * The entry's part in a Vue app's errors: each app it makes goes through reportVueErrors, exactly
 * reversibly. `createApp(App)` becomes `reportVueErrors(createApp(App))` (an expression, so the
 * chained `createApp(App).use(router).mount('#app')` is reached too), vite-ssg's setup callback
 * gets the marked line `reportVueErrors(ctx.app); // ez-pixel` first, and the handler's marked
 * import goes after the file's last import (the init's stays first). Removal unwraps the calls through the AST
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

/** Does `text` hold `line` (compared as formatters leave it, lineKey), wherever a linter moved it? */
function holdsLine(text: string, line: string): boolean {
  const key = lineKey(line);
  return text.split(/\r\n|\n|\r/).some((current) => lineKey(current.replace(/^\uFEFF/, '')) === key);
}

/** `text`: the entry with the init's import in it. */
export async function wireVueErrors(entryPath: string, text: string, wiring: InitWiring): Promise<VueWiring> {
  const apps = await findVueApps(entryPath, text);
  if (apps.kind !== 'sites') return note(entryPath, apps.reason, wiring);
  const missing = apps.sites.filter((site) => !site.wired);
  if (missing.length === 0) return { kind: 'present' };
  const named = vueImportLine(wiring);
  const imported = holdsLine(text, named);
  if (!imported && apps.afterImports === null) return note(entryPath, 'its last import shares its line with other code', wiring);

  // From the end, so each offset still points into the text as it was read.
  const eol = lineEndingOf(text);
  const line = (offset: number, content: string) => (current: string) => insertLines(current, [{ offset, lines: [content] }], eol);
  const edits = missing.map((site) =>
    site.kind === 'wrap'
      ? { offset: site.start, apply: (current: string) => `${current.slice(0, site.start)}${VUE_HANDLER}(${current.slice(site.start, site.end)})${current.slice(site.end)}` }
      : { offset: site.offset, apply: line(site.offset, site.indent + vueSetupLine(site.app)) },
  );
  if (!imported && apps.afterImports !== null) edits.push({ offset: apps.afterImports, apply: line(apps.afterImports, named) });
  let after = text;
  for (const edit of edits.sort((x, y) => y.offset - x.offset)) after = edit.apply(after);
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
