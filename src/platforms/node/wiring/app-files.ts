/**
 * The files an entry loads through relative imports and the project's own import aliases
 * (tsconfig `paths`/`baseUrl`, path-aliases.ts), breadth first (the entry first): where the app
 * may be created when the entry only starts it (`src/index.js` requires `./app`, or
 * `import { app } from '@/app'`, which creates the Express app), and whether a start file
 * reaches the wired entry (doctor). Bounded, so a large project costs a bounded number of parses.
 */
import { posix } from 'node:path';
import { aliasTargets, type Aliases } from './path-aliases.js';
import { loadedSpecifier, loadsComputedPath, parseFile, release } from './js-ast.js';

const extensions = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
/** Where the app is created is close to the entry: a few parses at most. */
const nearby = { maxFiles: 40, maxDepth: 4 };

export interface SourceFileText {
  path: string;
  text: string;
}

export interface LoadWalk {
  /** Every file reached, the start files first. */
  files: SourceFileText[];
  /** path → the file that loads it (absent for the start files). */
  loadedBy: Map<string, string>;
  /** false when the limits stopped the walk before it had followed every import. */
  complete: boolean;
  /** Specifiers that look like the project's own aliases (`#app`, `~/app`, `@/app`) but resolve to no file of it. */
  unfollowed: string[];
  /** Files whose loads cannot all be read: one that cannot be parsed, or a require/import of a computed path. */
  opaque: string[];
}

export async function filesLoadedFrom(
  entry: SourceFileText,
  read: (path: string) => Promise<string | null>,
  aliases: Aliases | null = null,
): Promise<SourceFileText[]> {
  return (await walkLoads([entry], read, { ...nearby, aliases })).files;
}

/** Breadth first from `starts`; stops early once `target` is reached. */
export async function walkLoads(
  starts: SourceFileText[],
  read: (path: string) => Promise<string | null>,
  options: { maxFiles: number; maxDepth: number; aliases: Aliases | null; target?: string },
): Promise<LoadWalk> {
  const seen = new Map<string, SourceFileText>(starts.map((file) => [file.path, file]));
  const walk: LoadWalk = { files: [], loadedBy: new Map(), complete: true, unfollowed: [], opaque: [] };
  let layer = [...seen.values()];
  for (let depth = 0; layer.length > 0; depth++) {
    if (options.target !== undefined && seen.has(options.target)) break;
    if (depth >= options.maxDepth || seen.size >= options.maxFiles) {
      walk.complete = false;
      break;
    }
    const next: SourceFileText[] = [];
    for (const file of layer) {
      const { specifiers, computed } = await loadedSpecifiers(file);
      if (computed) walk.opaque.push(file.path);
      for (const specifier of specifiers) {
        const relative = /^\.\.?\//.test(specifier);
        const targets = relative ? [posix.join(posix.dirname(file.path), specifier)] : aliasTargets(options.aliases, specifier);
        let resolved: SourceFileText | 'seen' | null = null;
        for (const target of targets) {
          if (target.startsWith('../') || target.split('/').includes('node_modules')) continue; // only the project's own files
          resolved = await resolveRelative(target, read, seen);
          if (resolved) break;
        }
        if (!resolved && !relative && aliasLike.test(specifier)) walk.unfollowed.push(specifier);
        if (!resolved || resolved === 'seen') continue;
        if (seen.size >= options.maxFiles) {
          walk.complete = false;
          continue;
        }
        seen.set(resolved.path, resolved);
        walk.loadedBy.set(resolved.path, file.path);
        next.push(resolved);
      }
    }
    layer = next;
  }
  walk.files = [...seen.values()];
  return walk;
}

/** The chain of loads from a start file to `path`: [start, …, path]. */
export function loadChain(walk: LoadWalk, path: string): string[] {
  const chain = [path];
  for (let at = walk.loadedBy.get(path); at !== undefined; at = walk.loadedBy.get(at)) chain.unshift(at);
  return chain;
}

/** Prefixes no npm package name starts with: such a specifier is the project's own alias. */
const aliasLike = /^(#|~\/|@\/)/;

/** The file's literal load specifiers; `computed` when it cannot be parsed or loads a path it computes (`require(join(__dirname, name))`). */
async function loadedSpecifiers(file: SourceFileText): Promise<{ specifiers: string[]; computed: boolean }> {
  const result = await parseFile(file.path, file.text);
  if (result.kind === 'error') return { specifiers: [], computed: true };
  const { parsed } = result;
  try {
    const nodes = [parsed.file, ...parsed.file.getDescendants()];
    const specifiers = nodes
      .map((node) => loadedSpecifier(parsed, node))
      .filter((specifier): specifier is string => specifier !== null && !/ez-pixel\.init/.test(specifier) && !specifier.startsWith('node:'));
    return { specifiers: [...new Set(specifiers)], computed: nodes.some((node) => loadsComputedPath(parsed, node)) };
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
