// Turns a raw V8 frame into a wire frame (spec/fingerprint.md "Frame paths"): in-app paths
// relative to the project root, library paths after the last node_modules/, `node:` internals
// as they are. The SDK's own frames are dropped: they are noise in every report.
import type { Frame } from './event-types.js';
import type { RawFrame } from './stack-parse.js';

export interface PathRoots {
  /** The project root, with `/` separators and a trailing `/`. */
  root: string;
  /** This SDK's dist directory (same form), or null when it could not be found. */
  sdkDir: string | null;
}

export interface LocatedFrame {
  frame: Frame;
  /** The absolute path to read source lines from, or null (internals, eval markers). */
  absolutePath: string | null;
}

const NODE_MODULES = '/node_modules/';
/** `webpack://<namespace>/<resource path>`: the source a bundle's map names, as Node's own source maps report it. */
const WEBPACK_SOURCE = /^webpack:\/\/[^/]*\/(.*)$/s;
const SDK_PACKAGE = '/node_modules/@ez-pixel/node/';

export function toDirectoryPrefix(path: string): string {
  const slashed = toSlashes(path);
  return slashed.endsWith('/') ? slashed : `${slashed}/`;
}

export function locateFrame(raw: RawFrame, roots: PathRoots): LocatedFrame | null {
  const base = { line: raw.line, col: raw.col, fn: raw.fn };
  const { location } = raw;
  if (location.startsWith('node:') || location === 'native' || location === '<anonymous>' || location.startsWith('internal/')) {
    return { frame: { file: location, ...base, in_app: false }, absolutePath: null };
  }
  const bundled = WEBPACK_SOURCE.exec(location);
  if (bundled) return locateBundledSource(bundled[1]!, location, base);
  const path = toSlashes(location.startsWith('file://') ? fileUrlToPath(location) : location);
  if (isSdkPath(path, roots.sdkDir)) return null;

  const libraryAt = path.lastIndexOf(NODE_MODULES);
  if (libraryAt >= 0) {
    return { frame: { file: path.slice(libraryAt + NODE_MODULES.length), ...base, in_app: false }, absolutePath: path };
  }
  return { frame: { file: relativeToRoot(path, roots.root), ...base, in_app: true }, absolutePath: isAbsolute(path) ? path : null };
}

/**
 * webpack names the app's modules `./src/x.ts` (relative to its context; `../../packages/ui/x.ts`
 * in a monorepo, kept from `packages/`); a package built with
 * webpack and shipped with its maps (Next's own runtime: `webpack://next/dist/esm/…`) names them
 * without the `./`. So the first are app frames at `src/x.ts`, the second library frames named as
 * under node_modules/ (`next/dist/esm/…`). Found on sufiyaan14/Job-Concurrency, where Next 14's
 * runtime frames were counted as the app's. The context is not known here, so no file is read.
 */
function locateBundledSource(resourcePath: string, location: string, base: Omit<Frame, 'file' | 'in_app'>): LocatedFrame {
  const withoutQuery = (text: string) => toSlashes(text).replace(/[?#].*$/s, '');
  const path = withoutQuery(resourcePath);
  if (!/^\.\.?\//.test(path)) return { frame: { file: withoutQuery(location.slice('webpack://'.length)), ...base, in_app: false }, absolutePath: null };
  const relative = path.replace(/^(\.\.?\/)+/, '');
  const libraryAt = `/${relative}`.lastIndexOf(NODE_MODULES);
  if (libraryAt >= 0) return { frame: { file: relative.slice(libraryAt + NODE_MODULES.length - 1), ...base, in_app: false }, absolutePath: null };
  return { frame: { file: relative, ...base, in_app: true }, absolutePath: null };
}

function isSdkPath(path: string, sdkDir: string | null): boolean {
  if (path.includes(SDK_PACKAGE)) return true;
  return sdkDir !== null && startsWithPath(path, sdkDir);
}

function relativeToRoot(path: string, root: string): string {
  return startsWithPath(path, root) ? path.slice(root.length) : path;
}

/** Windows paths compare without regard to case, as the file system does. */
function startsWithPath(path: string, prefix: string): boolean {
  if (/^[A-Za-z]:\//.test(prefix)) return path.toLowerCase().startsWith(prefix.toLowerCase());
  return path.startsWith(prefix);
}

function isAbsolute(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:\//.test(path);
}

function toSlashes(path: string): string {
  return path.includes('\\') ? path.replace(/\\/g, '/') : path;
}

/**
 * `file:///C:/app/x.mjs` → `C:/app/x.mjs`; `file:///app/a%20b.mjs` → `/app/a b.mjs`;
 * `file:///app/x.mjs?t=123#hot` → `/app/x.mjs`: a module imported with a query or hash (dev
 * servers and HMR bust the cache so) is still that file. In a URL a literal ? or # is escaped.
 */
export function fileUrlToPath(url: string): string {
  let path = url.slice('file://'.length).replace(/[?#].*$/s, '');
  if (!path.startsWith('/')) path = `//${path}`; // file://server/share/x.js (a UNC path)
  try {
    path = decodeURIComponent(path);
  } catch {
    // Malformed escapes: keep the text as V8 gave it.
  }
  return /^\/[A-Za-z]:\//.test(path) ? path.slice(1) : path;
}
