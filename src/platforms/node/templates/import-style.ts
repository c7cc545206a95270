/**
 * How a TypeScript entry names its own relative imports, so the init's specifier resolves under
 * whatever runs the project from source: tsx and ts-node map `./x.js` to x.ts, but esbuild-register
 * (a require hook) and `node --experimental-strip-types` do not, and strip-types needs `./x.ts`.
 * The project's own imports are the best evidence that a form resolves under its runner.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type SpecifierExtension = '' | '.js' | '.ts';

const relativeSpecifier = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

/** The extension the file's own relative imports use (the most common one), or null when it has none. */
export function ownImportStyle(source: string): SpecifierExtension | null {
  const counts = new Map<SpecifierExtension, number>();
  for (const match of source.matchAll(relativeSpecifier)) {
    const specifier = match[1]!;
    if (/\/ez-pixel\.init(\.[cm]?[jt]s)?$/.test(specifier)) continue; // ours: the style must read the same after install
    const style: SpecifierExtension | null = /\.(m|c)?ts$/.test(specifier) ? '.ts' : /\.(m|c)?js$/.test(specifier) ? '.js' : /\.[a-z]+$/i.test(specifier) ? null : '';
    if (style !== null) counts.set(style, (counts.get(style) ?? 0) + 1);
  }
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  return ranked[0]?.[0] ?? null;
}

/** The start or dev script runs TypeScript with Node's own type stripping, which resolves no extension for you. */
export function runsWithTypeStripping(root: string, entry: string): boolean {
  let scripts: Record<string, unknown> = {};
  try {
    scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, unknown> }).scripts ?? {};
  } catch {
    return false;
  }
  return [scripts.start, scripts.dev].some(
    (script) => typeof script === 'string' && (/--experimental-(strip|transform)-types/.test(script) || new RegExp(`(^|[\\s;&|])node\\s+(--\\S+\\s+)*(\\./)?${entry.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s|$)`).test(script)),
  );
}

export function readEntrySource(root: string, entry: string): string | null {
  try {
    return readFileSync(join(root, entry), 'utf8');
  } catch {
    return null;
  }
}
