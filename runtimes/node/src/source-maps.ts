// Source maps for the frames Node did not map. process.setSourceMapsEnabled(true) only maps
// modules loaded after it ran, and the entry module (with ES modules, the whole static import
// graph) is loaded before initPixel runs. For those frames the SDK reads the generated file's
// sourceMappingURL (else the .map beside it) and the map itself, through node:module's own SourceMap class.
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { fileUrlToPath, type LocatedFrame, locateFrame, type PathRoots } from './frame-paths.js';
import type { SourceCache } from './source-cache.js';
import { fsPromises } from './on-demand-builtins.js';

const GENERATED = /\.[cm]?js$/;
const MAPPING_URL = /^\s*\/\/[#@] sourceMappingURL=(\S+)\s*$/;
const MAX_MAPS = 32;
/** Larger maps (whole-app bundles) are skipped: parsing them would cost more than they give. */
const MAX_MAP_CHARS = 4 << 20;

export class SourceMaps {
  /** Generated file → its map (null: none or unreadable). Insertion order is LRU order. */
  private readonly maps = new Map<string, { map: SourceMap; dir: string; root: string } | null>();

  constructor(private readonly sources: SourceCache) {}

  /** Generated files among in-app frames whose maps are not loaded yet. */
  pending(located: LocatedFrame[]): string[] {
    const paths = located.filter((l) => l.frame.in_app && l.absolutePath && GENERATED.test(l.absolutePath)).map((l) => l.absolutePath!);
    return [...new Set(paths)].filter((path) => !this.maps.has(path));
  }

  async load(paths: string[]): Promise<void> {
    await this.sources.load(paths);
    const fs = await fsPromises();
    for (const path of paths) {
      const url = this.mappingUrl(path);
      const mapPath = url && !url.startsWith('data:') ? resolveFrom(path, url) : null;
      const text = url === null ? null : url.startsWith('data:') ? inlineMap(url) : await fs.readFile(mapPath!, 'utf8').catch(() => null);
      this.store(path, text, mapPath ?? path);
    }
  }

  loadSync(paths: string[]): void {
    this.sources.loadSync(paths);
    for (const path of paths) {
      const url = this.mappingUrl(path);
      const mapPath = url && !url.startsWith('data:') ? resolveFrom(path, url) : null;
      let text: string | null = null;
      try {
        text = url === null ? null : url.startsWith('data:') ? inlineMap(url) : readFileSync(mapPath!, 'utf8');
      } catch {
        text = null;
      }
      this.store(path, text, mapPath ?? path);
    }
  }

  /** The frames with every mappable position replaced by its original source position. */
  apply(located: LocatedFrame[], roots: PathRoots): LocatedFrame[] {
    return located.map((l) => {
      const entry = l.absolutePath ? this.maps.get(l.absolutePath) : null;
      if (!entry || l.frame.line < 1) return l;
      const found = entry.map.findEntry(l.frame.line - 1, Math.max(0, l.frame.col - 1)) as { originalSource?: string; originalLine?: number; originalColumn?: number };
      if (typeof found.originalSource !== 'string' || typeof found.originalLine !== 'number') return l;
      const source = found.originalSource.startsWith('file://') ? fileUrlToPath(found.originalSource) : resolve(entry.dir, entry.root, found.originalSource);
      const mapped = locateFrame({ fn: l.frame.fn, location: source, line: found.originalLine + 1, col: (found.originalColumn ?? 0) + 1 }, roots);
      return mapped ?? l;
    });
  }

  private mappingUrl(path: string): string | null {
    const lines = this.sources.lines(path);
    if (!lines) return null;
    for (let i = lines.length - 1; i >= Math.max(0, lines.length - 5); i--) {
      const match = MAPPING_URL.exec(lines[i]!);
      if (match?.[1]) return match[1];
    }
    // A "hidden" map (Vite's build.sourcemap: 'hidden') has no comment: it is the .map beside the file, if any.
    return `${basename(path)}.map`;
  }

  private store(path: string, text: string | null, mapPath: string): void {
    let entry: { map: SourceMap; dir: string; root: string } | null = null;
    try {
      if (text !== null && text.length <= MAX_MAP_CHARS) {
        const payload = JSON.parse(text) as { sourceRoot?: unknown };
        entry = { map: new SourceMap(payload as never), dir: dirname(mapPath), root: typeof payload.sourceRoot === 'string' ? payload.sourceRoot : '' };
      }
    } catch {
      entry = null;
    }
    this.maps.set(path, entry);
    if (this.maps.size > MAX_MAPS) this.maps.delete(this.maps.keys().next().value!);
  }
}

function resolveFrom(generated: string, url: string): string {
  if (url.startsWith('file://')) return fileUrlToPath(url);
  const decoded = decodeURIComponent(url);
  return isAbsolute(decoded) ? decoded : resolve(dirname(generated), decoded);
}

function inlineMap(url: string): string | null {
  const comma = url.indexOf(',');
  if (comma < 0) return null;
  const meta = url.slice(0, comma);
  const data = url.slice(comma + 1);
  return meta.endsWith(';base64') ? Buffer.from(data, 'base64').toString('utf8') : decodeURIComponent(data);
}

