/**
 * The two lines a static site's page gets, `<script src="…/ez-pixel.min.js"></script>` (the SDK)
 * and `<script src="…/ez-pixel.init.js"></script>` (its init), as whole lines before the page's
 * first <script>: a classic script without async/defer runs where it stands, so both run before
 * any of the page's own scripts (inline, deferred or type="module"). A page with no <script> (only
 * on… handlers) gets them at the end of its <head>. Their src is relative to the page (or to its
 * <base href>), so the site works from any folder it is served from. Removal takes out exactly
 * these lines.
 */
import { posix } from 'node:path';
import type { LoadOrder, Removal } from '../../../inject/index.js';
import { indentationAt, insertLines, lineEndingOf, lineStartAt, removeLines } from '../../../inject/lines.js';
import { readPage, type PageFacts } from './page.js';

/** The SDK and its init as the site holds them, relative to the site's root, '/' separators. */
export interface SiteScripts {
  sdk: string;
  init: string;
}

export type TagPlacement = { kind: 'insert'; after: string } | { kind: 'present' } | { kind: 'manual'; reason: string; snippet: string };

const OUR_FILE = /(^|\/)ez-pixel\.(min|init)\.js$/;
/** One of our lines as install writes it; a formatter's quotes or a self-closing slash aside, anything else is the user's. */
const OUR_LINE = /^\s*<script src=["'][^"']*ez-pixel\.(min|init)\.js["']><\/script>\s*$/i;
const MENTIONS_OURS = /ez-pixel\.(min|init)\.js/;

const isOurs = (src: string | null): boolean => src !== null && OUR_FILE.test(src.split(/[?#]/)[0] ?? '');

function tagLine(src: string): string {
  return `<script src="${src}"></script>`;
}

/** `script` as the page must name it: relative to the page's folder, or to its <base href> when that comes first. */
function srcFrom(page: string, script: string, base: PageFacts['base'], at: number): { src: string } | { unresolvable: string } {
  let from = posix.dirname(page);
  if (base && base.start < at) {
    if (/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(base.href)) return { unresolvable: base.href };
    // A root-relative base is taken to mean the site's root (the folder served); a relative one, the page's folder.
    const dir = base.href.endsWith('/') ? base.href : posix.dirname(base.href);
    from = base.href.startsWith('/') ? posix.normalize(`.${dir}`) : posix.join(from, dir);
  }
  return { src: posix.relative(from, script) };
}

/** The lines for `page` (no indentation), or why they cannot be known. */
export function tagLines(page: string, scripts: SiteScripts, facts: PageFacts, at: number): { lines: string[] } | { unresolvable: string } {
  const lines: string[] = [];
  for (const script of [scripts.sdk, scripts.init]) {
    const found = srcFrom(page, script, facts.base, at);
    if ('unresolvable' in found) return found;
    lines.push(tagLine(found.src));
  }
  return { lines };
}

/** The indentation of the last non-blank line before `lineStart` (the page's own step inside <head>). */
function neighbourIndent(text: string, lineStart: number): string {
  const before = text.slice(0, lineStart).split(/\r\n|\n|\r/).filter((line) => line.trim() !== '');
  const last = before.at(-1) ?? '';
  const indent = /^[ \t]*/.exec(last)?.[0] ?? '';
  return /^\s*<head[\s>]/i.test(last) ? `${indent}${indent.includes('\t') ? '\t' : '  '}` : indent;
}

export function addPageTags(page: string, text: string, scripts: SiteScripts): TagPlacement {
  const facts = readPage(text);
  const ours = facts.scripts.filter((script) => isOurs(script.src));
  if (ours.length >= 2) return { kind: 'present' };
  const first = facts.scripts[0]?.start ?? facts.headEnd;
  const wanted = tagLines(page, scripts, facts, first ?? text.length);
  // Without a usable base, the snippet names the files from the page's own folder.
  const plain = tagLines(page, scripts, { ...facts, base: null }, 0) as { lines: string[] };
  const snippet = ('lines' in wanted ? wanted : plain).lines.join('\n');
  // One of the two lines is there (the other was deleted by hand): adding both would load that one twice.
  if (ours.length === 1) return { kind: 'manual', reason: `${page} loads ${ours[0]?.src} but not the other of the two ez-pixel scripts; put back the missing line, so that it reads`, snippet };
  if (facts.broken) return { kind: 'manual', reason: `${page} does not parse to its end (${facts.broken}); fix it, then add these lines before its first <script>`, snippet };
  if ('unresolvable' in wanted) {
    return { kind: 'manual', reason: `${page} has <base href="${wanted.unresolvable}">, another origin's URL, so the scripts' path from it is unknown; add these lines before its first <script>, with the path from that base`, snippet };
  }
  if (first === null) return { kind: 'manual', reason: `${page} has neither a <script> nor a </head> to place the lines before; add them in its <head>`, snippet };
  const lineStart = lineStartAt(text, first);
  const what = facts.scripts.length > 0 ? 'its first <script>' : 'its </head>';
  if (text.slice(lineStart, first).trim() !== '') {
    return { kind: 'manual', reason: `${what} shares line ${facts.scripts[0]?.line ?? lineNumber(text, first)} of ${page} with other markup, and only whole lines are inserted; add these lines before it`, snippet };
  }
  const indent = facts.scripts.length > 0 ? indentationAt(text, lineStart) : neighbourIndent(text, lineStart);
  return { kind: 'insert', after: insertLines(text, [{ offset: lineStart, lines: wanted.lines.map((line) => indent + line) }], lineEndingOf(text)) };
}

function lineNumber(text: string, offset: number): number {
  return text.slice(0, offset).split(/\r\n|\n|\r/).length;
}

/** Takes our two lines out; a line naming our files in another shape was edited by the user and is left to them. */
export function removePageTags(text: string): Removal {
  const removal = removeLines(text, (line) => OUR_LINE.test(line), MENTIONS_OURS);
  if (removal.kind === 'edited') {
    return { kind: 'manual', reason: 'the <script> lines of ez-pixel were changed after install; remove them by hand', snippet: removal.lines.join('\n') };
  }
  return removal.count === 0 ? { kind: 'absent' } : { kind: 'remove', after: removal.after };
}

/** doctor: the page runs the SDK, then its init, before any script of its own. */
export function pageTagOrder(text: string): LoadOrder {
  const facts = readPage(text);
  if (facts.broken) return { kind: 'unparseable', reason: facts.broken };
  const sdk = facts.scripts.findIndex((script) => isOurs(script.src) && /min\.js/.test(script.src ?? ''));
  const init = facts.scripts.findIndex((script) => isOurs(script.src) && /init\.js/.test(script.src ?? ''));
  if (sdk === -1 || init === -1) return { kind: 'missing' };
  const before = facts.scripts.slice(0, Math.max(sdk, init)).find((script) => !isOurs(script.src)) ?? (init < sdk ? facts.scripts[init] : undefined);
  if (before) return { kind: 'late', before: before.src ? `<script src="${before.src}"> (line ${before.line})` : `an inline <script> (line ${before.line})` };
  return { kind: 'first' };
}
