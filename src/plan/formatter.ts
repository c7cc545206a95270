/**
 * The project's own formatter, for the files install creates or changes: prettier or biome, when
 * the project configures it and has it installed (its own binary in node_modules/.bin, never one
 * fetched for the purpose). Formatting reads stdin and prints to stdout (`--stdin-filepath`), so
 * planning still writes nothing, and the project's config and ignore files apply as they would
 * for the user. Any failure leaves the text as it was.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';

export interface Formatter {
  name: 'prettier' | 'biome';
  format(path: string, text: string): Promise<string>;
}

const prettierConfigs = ['.prettierrc', '.prettierrc.json', '.prettierrc.yaml', '.prettierrc.yml', '.prettierrc.json5', '.prettierrc.js', '.prettierrc.cjs', '.prettierrc.mjs', '.prettierrc.ts', '.prettierrc.toml', 'prettier.config.js', 'prettier.config.cjs', 'prettier.config.mjs', 'prettier.config.ts'];
const biomeConfigs = ['biome.json', 'biome.jsonc'];

/** Formats JS, TS and JSON: what install writes. */
export const formattable = /\.(c|m)?(j|t)sx?$|\.json$/;

export function findFormatter(root: string): Formatter | null {
  const configured = (names: string[]): boolean => names.some((name) => existsSync(join(root, name)));
  const pkg = readPackageJson(root);
  if (configured(prettierConfigs) || pkg?.prettier !== undefined) {
    const bin = localBin(root, 'prettier');
    if (bin) return { name: 'prettier', format: (path, text) => run(root, bin, ['--stdin-filepath', path], text) };
  }
  if (configured(biomeConfigs)) {
    const bin = localBin(root, 'biome');
    if (bin) return { name: 'biome', format: (path, text) => run(root, bin, ['format', `--stdin-file-path=${path}`], text) };
  }
  return null;
}

/** node_modules/.bin/<name> in the project or a folder above it (a workspace root). */
function localBin(root: string, name: string): string | null {
  for (let dir = root; ; dir = dirname(dir)) {
    const bin = join(dir, 'node_modules', '.bin', name);
    if (existsSync(bin)) return bin;
    if (dirname(dir) === dir || existsSync(join(dir, '.git'))) return null;
  }
}

async function run(root: string, bin: string, args: string[], text: string): Promise<string> {
  const result = await execa(bin, args, { cwd: root, input: text, reject: false, timeout: 30_000, stripFinalNewline: false });
  return result.exitCode === 0 && typeof result.stdout === 'string' && result.stdout.trim() !== '' ? result.stdout : text;
}

function readPackageJson(root: string): Record<string, unknown> | null {
  try {
    return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}
