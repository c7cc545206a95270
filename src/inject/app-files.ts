/**
 * The files an entry loads through relative imports and the project's own import aliases
 * (tsconfig `paths`/`baseUrl`, path-aliases.ts), breadth first (the entry first): where the app
 * may be created when the entry only starts it (`src/index.js` requires `./app`, or
 * `import { app } from '@/app'`, which creates the Express app). Bounded, so a large project
 * costs a few parses at most.
 */
import { posix } from 'node:path';
import { aliasTargets, type Aliases } from './path-aliases.js';
import { loadedSpecifier, parseFile, release } from './js-ast.js';

const maxFiles = 40;
const maxDepth = 4;
const extensions = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

export interface SourceFileText {
  path: string;
  text: string;
}

export async function filesLoadedFrom(
  entry: SourceFileText,
  read: (path: string) => Promise<string | null>,
  aliases: Aliases | null = null,
): Promise<SourceFileText[]> {
  const seen = new Map<string, SourceFileText>([[entry.path, entry]]);
  let layer = [entry];
  for (let depth = 0; depth < maxDepth && layer.length > 0 && seen.size < maxFiles; depth++) {
    const next: SourceFileText[] = [];
    for (const file of layer) {
      for (const specifier of await loadedSpecifiers(file)) {
        const relative = /^\.\.?\//.test(specifier);
        const targets = relative ? [posix.join(posix.dirname(file.path), specifier)] : aliasTargets(aliases, specifier);
        for (const target of targets) {
          if (target.startsWith('../') || target.split('/').includes('node_modules')) continue; // only the project's own files
          const resolved = await resolveRelative(target, read, seen);
          if (resolved === 'seen') break;
          if (!resolved || seen.size >= maxFiles) continue;
          seen.set(resolved.path, resolved);
          next.push(resolved);
          break;
        }
      }
    }
    layer = next;
  }
  return [...seen.values()];
}

async function loadedSpecifiers(file: SourceFileText): Promise<string[]> {
  const result = await parseFile(file.path, file.text);
  if (result.kind === 'error') return [];
  const { parsed } = result;
  try {
    const specifiers = [parsed.file, ...parsed.file.getDescendants()]
      .map((node) => loadedSpecifier(parsed, node))
      .filter((specifier): specifier is string => specifier !== null && !/ez-pixel\.init/.test(specifier) && !specifier.startsWith('node:'));
    return [...new Set(specifiers)];
  } finally {
    release(parsed);
  }
}

/** `./app` → app.ts, app.js, app/index.ts…; `./app.js` → app.js, else app.ts (TypeScript's own mapping). */
async function resolveRelative(
  base: string,
  read: (path: string) => Promise<string | null>,
  seen: Map<string, SourceFileText>,
): Promise<SourceFileText | 'seen' | null> {
  const stem = base.replace(/\.[cm]?js$/, '');
  const tries = [base, ...extensions.map((ext) => stem + ext), ...extensions.map((ext) => `${base}/index${ext}`)];
  for (const path of tries) {
    if (!extensions.includes(posix.extname(path))) continue;
    if (seen.has(path)) return 'seen';
    const text = await read(path);
    if (text !== null) return { path, text };
  }
  return null;
}
