/**
 * The few tsconfig.json options detection needs: `module` (for the module system) and
 * `rootDir`/`outDir` (to map compiled output back to its source). Relative `extends` chains are
 * followed; configs extended from packages are not, since that would mean reading node_modules.
 */
import { posix } from 'node:path';
import { parseJsonc } from '../jsonc.js';
import { asObject, asString, type ProjectFiles } from '../project-files.js';

export interface TsConfig {
  /** The config file, relative to the root. */
  file: string;
  /** compilerOptions.module, lower-cased. */
  module: string | null;
  /** rootDir and outDir, relative to the project root with `/` separators. */
  rootDir: string | null;
  outDir: string | null;
}

const maxExtendsDepth = 5;

export async function readTsConfig(files: ProjectFiles, file = 'tsconfig.json'): Promise<TsConfig | null> {
  const merged = await readChain(files, file, 0);
  if (!merged) return null;
  return { file, ...merged };
}

type Options = Omit<TsConfig, 'file'>;

async function readChain(files: ProjectFiles, file: string, depth: number): Promise<Options | null> {
  const text = await files.text(file);
  if (text === null) return null;
  const config = asObject(parseJsonc(text)) ?? {};
  const options = asObject(config.compilerOptions) ?? {};
  const dir = posix.dirname(file);
  const own: Options = {
    module: asString(options.module)?.toLowerCase() ?? null,
    rootDir: relativeToRoot(dir, asString(options.rootDir)),
    outDir: relativeToRoot(dir, asString(options.outDir)),
  };
  const parents = [config.extends].flat().map(asString).filter((p): p is string => p !== null && p.startsWith('.'));
  let inherited: Options = { module: null, rootDir: null, outDir: null };
  if (depth < maxExtendsDepth) {
    for (const parent of parents) {
      const target = posix.normalize(posix.join(dir, parent.endsWith('.json') ? parent : `${parent}.json`));
      const parentOptions = await readChain(files, target, depth + 1);
      if (parentOptions) inherited = merge(inherited, parentOptions);
    }
  }
  return merge(inherited, own);
}

function merge(base: Options, over: Options): Options {
  return {
    module: over.module ?? base.module,
    rootDir: over.rootDir ?? base.rootDir,
    outDir: over.outDir ?? base.outDir,
  };
}

function relativeToRoot(configDir: string, value: string | null): string | null {
  if (value === null) return null;
  const joined = posix.normalize(posix.join(configDir, value.replace(/\\/g, '/')));
  return joined.replace(/\/$/, '');
}
