/**
 * The module scripts an HTML page loads (`<script type="module" src="…">`), as Vite finds its
 * entries: a src starting with `/` is relative to the project root, any other to the page's
 * folder; a query (`?v=1`) is not part of the file. Comments are skipped, and a URL with a scheme
 * (`https:`) or `//` is another origin's script, never the app's.
 */
import { posix } from 'node:path';

const comment = /<!--[\s\S]*?(?:-->|$)/g;
const scriptTag = /<script\b([^>]*)>/gi;
const attribute = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;

export interface ModuleScript {
  /** The file, relative to the project root, `/` separators. */
  path: string;
  /** The tag as written, for the evidence. */
  tag: string;
}

export function moduleScripts(html: string, page: string): ModuleScript[] {
  const scripts: ModuleScript[] = [];
  for (const match of html.replace(comment, '').matchAll(scriptTag)) {
    const attributes = new Map<string, string>();
    for (const [, name, ...values] of (match[1] ?? '').matchAll(attribute)) attributes.set(name!.toLowerCase(), values.find((value) => value !== undefined) ?? '');
    const src = attributes.get('src');
    if (attributes.get('type')?.toLowerCase() !== 'module' || !src || /^([a-z][a-z0-9+.-]*:|\/\/)/i.test(src)) continue;
    const file = src.replace(/[?#].*$/, '');
    const path = file.startsWith('/') ? posix.normalize(file.slice(1)) : posix.join(posix.dirname(page), file);
    if (!path.startsWith('..')) scripts.push({ path, tag: match[0] });
  }
  return scripts;
}
