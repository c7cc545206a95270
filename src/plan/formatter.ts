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
  name: 'prettier' | 'biome' | 'eslint';
  format(path: string, text: string): Promise<string>;
}

const prettierConfigs = ['.prettierrc', '.prettierrc.json', '.prettierrc.yaml', '.prettierrc.yml', '.prettierrc.json5', '.prettierrc.js', '.prettierrc.cjs', '.prettierrc.mjs', '.prettierrc.ts', '.prettierrc.toml', 'prettier.config.js', 'prettier.config.cjs', 'prettier.config.mjs', 'prettier.config.ts'];
const biomeConfigs = ['biome.json', 'biome.jsonc'];
const eslintConfigs = [
  'eslint.config.js', 'eslint.config.mjs', 'eslint.config.cjs', 'eslint.config.ts', 'eslint.config.mts', 'eslint.config.cts',
  '.eslintrc', '.eslintrc.js', '.eslintrc.cjs', '.eslintrc.json', '.eslintrc.yaml', '.eslintrc.yml',
];

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
  // ESLint alone (neostandard, eslint-config-standard) is the style: its fixable rules (quotes,
  // semicolons, trailing commas) say how the code looks.
  if (configured(eslintConfigs) || pkg?.eslintConfig !== undefined) {
    const bin = localBin(root, 'eslint');
    if (bin) return { name: 'eslint', format: (path, text) => eslintFixed(root, bin, path, text) };
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

/** `eslint --fix-dry-run` on stdin: the fixed text is in its JSON report (no `output` when nothing was fixed). */
async function eslintFixed(root: string, bin: string, path: string, text: string): Promise<string> {
  if (!/\.(c|m)?(j|t)sx?$/.test(path)) return text;
  const result = await execa(bin, ['--fix-dry-run', '--format', 'json', '--stdin', '--stdin-filename', path], { cwd: root, input: text, reject: false, timeout: 60_000 });
  try {
    const [report] = JSON.parse(String(result.stdout)) as Array<{ output?: string }>;
    return typeof report?.output === 'string' ? report.output : text;
  } catch {
    return text; // eslint failed (a config it cannot load): the text stays as generated
  }
}

function readPackageJson(root: string): Record<string, unknown> | null {
  try {
    return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}
