/**
 * Which module resolution a TypeScript entry is compiled with, read from the nearest tsconfig.json.
 * It decides the init's import specifier: Node16/NodeNext need the emitted `.js` extension, every
 * other resolution (bundler, node10, classic) accepts the extensionless one.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

export type ModuleResolution = 'nodenext' | 'node16' | 'bundler' | 'node10' | 'classic';

interface CompilerModuleOptions {
  module?: string;
  moduleResolution?: string;
}

/** The resolution for a file in `fromDir`, searching tsconfig.json up to `stopDir`; TypeScript's default when none. */
export function moduleResolutionFor(fromDir: string, stopDir: string): ModuleResolution {
  const config = nearestTsconfig(fromDir, stopDir);
  const options = config ? readOptions(config, new Set()) : {};
  return effectiveResolution(options);
}

function nearestTsconfig(fromDir: string, stopDir: string): string | null {
  let dir = resolve(fromDir);
  const stop = resolve(stopDir);
  for (;;) {
    const candidate = join(dir, 'tsconfig.json');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (dir === stop || parent === dir) return null;
    dir = parent;
  }
}

/** Mirrors TypeScript's defaults: moduleResolution follows `module` when it is not set. */
function effectiveResolution(options: CompilerModuleOptions): ModuleResolution {
  const resolution = options.moduleResolution?.toLowerCase();
  if (resolution === 'nodenext' || resolution === 'node16' || resolution === 'bundler') return resolution;
  if (resolution === 'node' || resolution === 'node10') return 'node10';
  if (resolution === 'classic') return 'classic';
  const module = options.module?.toLowerCase();
  if (module === 'nodenext' || module === 'node16' || module === 'node18' || module === 'node20') {
    return module === 'node16' ? 'node16' : 'nodenext';
  }
  if (module === 'preserve') return 'bundler';
  if (module === undefined || module === 'commonjs') return 'node10';
  return 'classic';
}

/** Reads compilerOptions.module/moduleResolution, following `extends` (own values win). */
function readOptions(file: string, seen: Set<string>): CompilerModuleOptions {
  if (seen.has(file)) return {};
  seen.add(file);
  let config: { extends?: unknown; compilerOptions?: Record<string, unknown> };
  try {
    config = JSON.parse(stripJsonComments(readFileSync(file, 'utf8')));
  } catch {
    return {};
  }
  const bases = typeof config.extends === 'string' ? [config.extends] : Array.isArray(config.extends) ? config.extends : [];
  let options: CompilerModuleOptions = {};
  for (const base of bases) {
    const basePath = typeof base === 'string' ? resolveExtends(base, dirname(file)) : null;
    if (basePath) options = { ...options, ...readOptions(basePath, seen) };
  }
  const own = config.compilerOptions ?? {};
  if (typeof own.module === 'string') options.module = own.module;
  if (typeof own.moduleResolution === 'string') options.moduleResolution = own.moduleResolution;
  return options;
}

function resolveExtends(specifier: string, fromDir: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    const path = resolve(fromDir, specifier);
    const candidates = [path, `${path}.json`, join(path, 'tsconfig.json')];
    return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile()) ?? null;
  }
  // A package, e.g. "@tsconfig/node20/tsconfig.json" or "@tsconfig/strictest".
  const require = createRequire(join(fromDir, 'package.json'));
  for (const candidate of [specifier, `${specifier}.json`, `${specifier}/tsconfig.json`]) {
    try {
      return require.resolve(candidate);
    } catch {
      // not this spelling
    }
  }
  return null;
}

/** tsconfig.json is JSONC: drops comments and trailing commas, leaving strings intact. */
function stripJsonComments(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') {
      const end = endOfString(text, i);
      out += text.slice(i, end);
      i = end - 1;
    } else if (char === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (char === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 1;
    } else {
      out += char;
    }
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}

function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return text.length;
}
