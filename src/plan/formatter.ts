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
  // A monorepo keeps one config at the workspace root for every package (found on
  // Yuefii/starter-monorepo: .prettierrc beside pnpm-workspace.yaml, the app in apps/web), and
  // prettier, biome and ESLint all look for theirs upward from the file, so install does too.
  const dirs = projectAndAbove(root);
  const configured = (names: string[], packageKey?: string): boolean =>
    dirs.some((dir) => names.some((name) => existsSync(join(dir, name))) || (packageKey !== undefined && readPackageJson(dir)?.[packageKey] !== undefined));
  const localBin = (name: string): string | null => dirs.map((dir) => join(dir, 'node_modules', '.bin', name)).find((bin) => existsSync(bin)) ?? null;
  if (configured(prettierConfigs, 'prettier')) {
    const bin = localBin('prettier');
    if (bin) return { name: 'prettier', format: (path, text) => run(root, bin, ['--stdin-filepath', path], text) };
  }
  if (configured(biomeConfigs)) {
    const bin = localBin('biome');
    if (bin) return { name: 'biome', format: (path, text) => run(root, bin, ['format', `--stdin-file-path=${path}`], text) };
  }
  // ESLint alone (neostandard, eslint-config-standard) is the style: its fixable rules (quotes,
  // semicolons, trailing commas) say how the code looks.
  if (configured(eslintConfigs, 'eslintConfig')) {
    const bin = localBin('eslint');
    if (bin) return { name: 'eslint', format: (path, text) => eslintFixed(root, bin, path, text) };
  }
  return null;
}

/** The project and the folders above it up to the repository's root (a workspace root between). */
function projectAndAbove(root: string): string[] {
  const dirs: string[] = [];
  for (let dir = root; ; dir = dirname(dir)) {
    dirs.push(dir);
    if (dirname(dir) === dir || existsSync(join(dir, '.git'))) return dirs;
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
