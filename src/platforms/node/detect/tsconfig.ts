/**
 * The few tsconfig.json options detection needs: `module` (for the module system),
 * `rootDir`/`outDir` (to map compiled output back to its source) and `baseUrl`/`paths` (the import
 * aliases, `@/app` → src/app, that injection follows to the file creating the app). Relative `extends` chains are
 * followed; configs extended from packages are not, since that would mean reading node_modules.
 */
import { posix } from 'node:path';
import { parseJsonc } from '../../../detectors/jsonc.js';
import { asObject, asString, type JsonObject, type ProjectFiles } from '../../../detectors/project-files.js';

export interface TsConfig {
  /** The config file, relative to the root. */
  file: string;
  /** compilerOptions.module, lower-cased. */
  module: string | null;
  /** rootDir and outDir, relative to the project root with `/` separators. */
  rootDir: string | null;
  outDir: string | null;
  /** compilerOptions.baseUrl, relative to the project root. */
  baseUrl: string | null;
  /** compilerOptions.paths (`"@/*": ["src/*"]`), with the folder its targets are relative to (baseUrl, else the config's own folder). */
  paths: { patterns: Record<string, string[]>; base: string } | null;
}

const maxExtendsDepth = 5;

export async function readTsConfig(files: Pick<ProjectFiles, 'text'>, file = 'tsconfig.json'): Promise<TsConfig | null> {
  const merged = await readChain(files, file, 0);
  if (!merged) return null;
  return { file, ...merged };
}

type Options = Omit<TsConfig, 'file'>;

async function readChain(files: Pick<ProjectFiles, 'text'>, file: string, depth: number): Promise<Options | null> {
  const text = await files.text(file);
  if (text === null) return null;
  const config = asObject(parseJsonc(text)) ?? {};
  const options = asObject(config.compilerOptions) ?? {};
  const dir = posix.dirname(file);
  const own: Options = {
    module: asString(options.module)?.toLowerCase() ?? null,
    rootDir: relativeToRoot(dir, asString(options.rootDir)),
    outDir: relativeToRoot(dir, asString(options.outDir)),
    baseUrl: relativeToRoot(dir, asString(options.baseUrl)),
    paths: null,
  };
  const ownPaths = pathPatterns(options.paths);
  const parents = [config.extends].flat().map(asString).filter((p): p is string => p !== null && p.startsWith('.'));
  let inherited: Options = { module: null, rootDir: null, outDir: null, baseUrl: null, paths: null };
  if (depth < maxExtendsDepth) {
    for (const parent of parents) {
      const target = posix.normalize(posix.join(dir, parent.endsWith('.json') ? parent : `${parent}.json`));
      const parentOptions = await readChain(files, target, depth + 1);
      if (parentOptions) inherited = merge(inherited, parentOptions);
    }
  }
  const merged = merge(inherited, own);
  // TypeScript resolves `paths` against baseUrl (maybe inherited), else the folder of the config that declares them.
  return ownPaths ? { ...merged, paths: { patterns: ownPaths, base: merged.baseUrl ?? dir } } : merged;
}

function merge(base: Options, over: Options): Options {
  return {
    module: over.module ?? base.module,
    rootDir: over.rootDir ?? base.rootDir,
    outDir: over.outDir ?? base.outDir,
    baseUrl: over.baseUrl ?? base.baseUrl,
    paths: over.paths ?? base.paths,
  };
}

function pathPatterns(value: unknown): Record<string, string[]> | null {
  const object: JsonObject | null = asObject(value);
  if (!object) return null;
  const patterns: Record<string, string[]> = {};
  for (const [pattern, targets] of Object.entries(object)) {
    if (Array.isArray(targets)) patterns[pattern] = targets.map(asString).filter((target): target is string => target !== null);
  }
  return patterns;
}

function relativeToRoot(configDir: string, value: string | null): string | null {
  if (value === null) return null;
  const joined = posix.normalize(posix.join(configDir, value.replace(/\\/g, '/')));
  return joined.replace(/\/$/, '');
}
