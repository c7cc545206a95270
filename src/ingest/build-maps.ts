/**
 * `listen`'s source maps: found in the project's build output. A frame's `file` is the script's
 * URL path (`assets/index-4f1c2a.js`), so the script is `<dir>/assets/index-4f1c2a.js` for one of
 * the build folders, and its map is what the script's `//# sourceMappingURL=` names, else the
 * `.map` beside it. Maps are cached and read again when the script or the map changes (a rebuild).
 *
 * A frame's file comes from whoever sent the event: a path that leaves the build folder, or a map
 * that resolves outside the project (a symlink, `../`), is never read.
 */
import type { Stats } from 'node:fs';
import { open, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { AnyMap } from '@jridgewell/trace-mapping';
import type { LoadedMap, MapSource } from './source-maps.js';

/**
 * Where the usual front-end tools put a build: Vite, Create React App, Next.js, static exports,
 * SvelteKit's client output (served as /_app/…; adapter-node's copy in build/client sits one folder
 * higher, so the maps' relative sources resolve only from here, which is why it comes first), React
 * Router's and Remix's build/client (served from its root: `assets/…`, which `build` alone misses),
 * and Nuxt's .output/public (`_nuxt/…`).
 */
export const defaultBuildDirs = ['dist', 'build', 'out', '.next', '.svelte-kit/output/client', 'build/client', '.output/public'];

/** Every bundler's switch, for a message that cannot tell which bundler builds the app. */
export const sourceMapSwitches = 'Vite build.sourcemap, webpack devtool, esbuild --sourcemap, Next.js productionBrowserSourceMaps';

/** Whole-app maps of large bundles reach tens of MB; above this they are skipped. */
const MAX_MAP_BYTES = 64 << 20;
/** The sourceMappingURL comment is at the end of the script. */
const TAIL_BYTES = 4096;
const MAX_CACHED = 64;
const MAPPING_URL = /\/\/[#@] sourceMappingURL=(\S+)\s*$/;

interface Cached {
  /** The script's and the map's mtime and size when read. */
  stamp: string;
  loaded: LoadedMap | null;
}

export class BuildMaps {
  private readonly cache = new Map<string, Cached>();
  private readonly root: string;

  /** `root`: the project; `dirs`: the build folders, relative to it or absolute. */
  constructor(root: string, private readonly dirs: readonly string[] = defaultBuildDirs) {
    this.root = resolve(root);
  }

  readonly find: MapSource = async (file) => {
    if (!isPlainRelative(file)) return null;
    for (const dir of this.dirs) {
      const base = resolve(this.root, dir);
      for (const candidate of candidatesIn(base, file)) {
        const loaded = await this.load(candidate).catch(() => undefined);
        if (loaded !== undefined) return loaded;
      }
    }
    return null;
  };

  /** The map of the script at `script`; undefined when neither the script nor a map beside it exists. */
  private async load(script: string): Promise<LoadedMap | null | undefined> {
    const scriptStat = await stat(script).catch(() => null);
    if (scriptStat?.isFile() && !(await isInsideProject(this.root, script))) return null;
    const found = await locateMap(script, scriptStat?.isFile() === true);
    if (found === null) return scriptStat?.isFile() ? null : undefined;
    if (found.kind === 'inline') return this.cached(script, `${scriptStat!.mtimeMs}:${scriptStat!.size}`, () => readLocatedMap(found), script);
    if (found.stat.size > MAX_MAP_BYTES || !(await isInsideProject(this.root, found.path))) return null;
    const stamp = `${scriptStat?.mtimeMs}:${scriptStat?.size}:${found.stat.mtimeMs}:${found.stat.size}`;
    return this.cached(found.path, stamp, () => readLocatedMap(found), found.path);
  }

  private async cached(key: string, stamp: string, read: () => Promise<string>, mapPath: string): Promise<LoadedMap | null> {
    const hit = this.cache.get(key);
    if (hit?.stamp === stamp) {
      // Most recently used last, so the oldest is evicted first.
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit.loaded;
    }
    let loaded: LoadedMap | null = null;
    try {
      // Sources resolve against the map's own path, so they come out absolute and `root` makes them project-relative.
      loaded = { map: new AnyMap(await read(), mapPath), root: `${this.root}${sep}`.replace(/\\/g, '/') };
    } catch {
      loaded = null; // Not JSON, not a source map: the frames stay as sent.
    }
    this.cache.delete(key);
    this.cache.set(key, { stamp, loaded });
    if (this.cache.size > MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    return loaded;
  }
}

/** Whether `path`, its symlinks followed, lies inside `root`: a map elsewhere is never read or sent. */
export async function isInsideProject(root: string, path: string): Promise<boolean> {
  const [real, realRoot] = await Promise.all([realpath(path), realpath(root)]);
  const rel = relative(realRoot, real);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

export type LocatedMap = { kind: 'inline'; url: string } | { kind: 'file'; path: string; stat: Stats };

/**
 * Where a generated script's map is: what its `//# sourceMappingURL=` names (a file beside it, or
 * inline `data:`), else `<script>.map` (a "hidden" map, which has no comment). `scriptExists`:
 * false when only the `.map` may be there. Null when there is no map.
 */
export async function locateMap(script: string, scriptExists = true): Promise<LocatedMap | null> {
  const url = scriptExists ? await mappingUrl(script) : null;
  if (url?.startsWith('data:')) return { kind: 'inline', url };
  const path = url && !/^[a-z][a-z0-9+.-]*:/i.test(url) ? resolve(dirname(script), decodeURIComponent(url)) : `${script}.map`;
  const mapStat = await stat(path).catch(() => null);
  return mapStat?.isFile() ? { kind: 'file', path, stat: mapStat } : null;
}

export async function readLocatedMap(located: LocatedMap): Promise<string> {
  return located.kind === 'inline' ? inlineMap(located.url) : readFile(located.path, 'utf8');
}

export interface BuiltScript {
  /** The script's absolute path. */
  script: string;
  /** Its URL path as a browser frame names it (`assets/index-4f1c2a.js`; Next.js: `_next/static/…`). */
  file: string;
}

const SCRIPT = /\.[cm]?js$/;

/**
 * Every script a build folder serves: `.js`, `.mjs` and `.cjs` files below it, without following
 * symlinks, skipping node_modules. Of Next.js's `.next` only `static/` reaches the browser.
 */
export async function listBuiltScripts(dir: string): Promise<BuiltScript[]> {
  const next = basename(dir) === '.next';
  const found: BuiltScript[] = [];
  const walk = async (folder: string): Promise<void> => {
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(folder, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules') await walk(path);
      else if (entry.isFile() && SCRIPT.test(entry.name)) {
        const file = relative(dir, path).split(sep).join('/');
        found.push({ script: path, file: next ? `_next/${file}` : file });
      }
    }
  };
  await walk(next ? join(dir, 'static') : dir);
  return found;
}

/** `assets/x.js`, not `/x.js`, `../x.js`, `a/../../x.js` or `C:\x.js`. */
export function isPlainRelative(file: string): boolean {
  if (file === '' || file.includes('\0') || file.includes('\\') || file.startsWith('/') || /^[a-z][a-z0-9+.-]*:/i.test(file)) return false;
  return !file.split('/').some((segment) => segment === '..' || segment === '.');
}

/** Next.js serves `.next/static/…` as `/_next/static/…`. */
function candidatesIn(base: string, file: string): string[] {
  const candidates = [join(base, file)];
  if (file.startsWith('_next/')) candidates.push(join(base, file.slice('_next/'.length)));
  return candidates;
}

/**
 * The comment is the script's last line, and an inline (`data:`) map makes that line as long as
 * the map: the tail read grows until it holds the whole last line (or the map would be too big).
 */
async function mappingUrl(script: string): Promise<string | null> {
  const handle = await open(script, 'r');
  try {
    const { size } = await handle.stat();
    const limit = Math.min(size, 2 * MAX_MAP_BYTES);
    for (let length = Math.min(size, TAIL_BYTES); ; length = Math.min(limit, length * 4)) {
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, size - length);
      const tail = buffer.toString('utf8');
      const found = MAPPING_URL.exec(tail)?.[1];
      if (found !== undefined || length >= limit || tail.trimEnd().includes('\n')) return found ?? null;
    }
  } finally {
    await handle.close();
  }
}

function inlineMap(url: string): string {
  const comma = url.indexOf(',');
  const meta = url.slice(0, comma);
  const data = url.slice(comma + 1);
  return meta.endsWith(';base64') ? Buffer.from(data, 'base64').toString('utf8') : decodeURIComponent(data);
}
