/**
 * The entry of a Node app, in order of evidence: package.json `bin`, `main`, `exports`, the file
 * `scripts.start`/`scripts.dev` runs, then conventional paths. Paths into compiled output
 * (dist/index.js) are mapped back to their TypeScript source: the init goes into source.
 */
import { posix } from 'node:path';
import type { Evidence } from '../../project.js';
import { asObject, asString } from '../project-files.js';
import { found, type EntryOutcome } from '../types.js';
import type { NodeFacts } from './facts.js';
import { sourceCandidates } from './source-map.js';

/** Where package.json names an entry; each source yields paths in the order they are tried. */
const manifestSources: Array<{ field: string; paths: (pkg: Record<string, unknown>) => string[] }> = [
  { field: 'bin', paths: (pkg) => binPaths(pkg.bin) },
  { field: 'main', paths: (pkg) => [asString(pkg.main)].filter(isString) },
  { field: 'exports', paths: (pkg) => exportPaths(pkg.exports) },
  { field: 'scripts.start', paths: (pkg) => scriptPaths(asObject(pkg.scripts)?.start) },
  { field: 'scripts.dev', paths: (pkg) => scriptPaths(asObject(pkg.scripts)?.dev) },
];

const conventionalStems = ['src/index', 'src/main', 'src/server', 'src/app', 'index', 'main', 'server', 'app'];
const typescriptExtensions = ['.ts', '.mts', '.cts', '.tsx'];
const javascriptExtensions = ['.js', '.mjs', '.cjs'];

/** Commands in `scripts` whose first file argument is the entry. */
const runners = new Set(['node', 'nodemon', 'tsx', 'ts-node', 'ts-node-dev', 'ts-node-esm', 'bun', 'deno', 'esno', 'vite-node', 'jiti']);
/** Runner words that are not the file: subcommands, and options whose value is the next word. */
const runnerSubcommands = new Set(['watch', 'run']);
const optionsWithValue = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '-C', '--conditions', '--env-file', '--watch-path', '--exec', '-e', '--ext']);

export async function findNodeEntry(facts: NodeFacts): Promise<EntryOutcome> {
  for (const source of manifestSources) {
    const declared = [...new Set(source.paths(facts.pkg).map(normalize))];
    if (declared.length === 0) continue;
    const resolved: Array<{ path: string; evidence: Evidence }> = [];
    for (const path of declared) {
      const file = await resolveSource(facts, path);
      if (file) resolved.push({ path: file.path, evidence: { about: 'entry', says: `package.json ${source.field} is ${path}${file.note}` } });
    }
    const distinct = [...new Map(resolved.map((r) => [r.path, r])).values()];
    if (distinct.length === 1) return found(distinct[0]!.path, [distinct[0]!.evidence]);
    if (distinct.length > 1) {
      return {
        ambiguous: {
          candidates: distinct.map((r) => ({ value: r.path, because: r.evidence.says })),
          evidence: [{ about: 'entry', says: `package.json ${source.field} names ${distinct.length} files` }],
        },
      };
    }
  }
  return conventionalEntry(facts);
}

async function conventionalEntry(facts: NodeFacts): Promise<EntryOutcome> {
  const extensions = facts.typescript
    ? [...typescriptExtensions, ...javascriptExtensions]
    : [...javascriptExtensions, ...typescriptExtensions];
  const candidates = conventionalStems.flatMap((stem) => extensions.map((ext) => stem + ext));
  const file = await facts.files.firstFile(candidates);
  if (file) return found(file, [{ about: 'entry', says: `${file} is a conventional entry path` }]);
  return found(null, [{ about: 'entry', says: 'package.json names no entry and no conventional entry file exists' }]);
}

/** The source file for a declared path, with a note when it was mapped from compiled output. */
async function resolveSource(facts: NodeFacts, declared: string): Promise<{ path: string; note: string } | null> {
  for (const candidate of sourceCandidates(facts, declared)) {
    if (await facts.files.isFile(candidate.path)) return { path: candidate.path, note: candidate.note };
  }
  return null;
}

function binPaths(bin: unknown): string[] {
  const single = asString(bin);
  if (single) return [single];
  return Object.values(asObject(bin) ?? {}).map(asString).filter(isString);
}

/** The `.` export's file: the `node`, `import`, `require` or `default` condition, nested or not. */
function exportPaths(exports: unknown): string[] {
  const direct = asString(exports);
  if (direct) return [direct];
  const map = asObject(exports);
  if (!map) return [];
  const dot = '.' in map ? map['.'] : Object.keys(map).some((k) => k.startsWith('.')) ? undefined : map;
  const conditions = ['node', 'import', 'require', 'default'];
  let target: unknown = dot;
  for (let depth = 0; depth < 4 && target !== undefined && asString(target) === null; depth++) {
    const conditionMap = asObject(target);
    const key = conditions.find((condition) => conditionMap && condition in conditionMap);
    target = key ? conditionMap![key] : undefined;
  }
  const path = asString(target);
  return path ? [path] : [];
}

/** `node --watch -r dotenv/config src/server.js` → src/server.js; `tsx watch src/main.ts` → src/main.ts. */
function scriptPaths(script: unknown): string[] {
  const command = asString(script);
  if (!command) return [];
  const first = command.split(/&&|\|\||;/)[0]!.trim();
  const words = first.split(/\s+/).map((word) => word.replace(/^['"]|['"]$/g, ''));
  const runner = words.findIndex((word) => runners.has(posix.basename(word)));
  if (runner === -1) return [];
  for (let i = runner + 1; i < words.length; i++) {
    const word = words[i]!;
    if (optionsWithValue.has(word)) i++;
    else if (!word.startsWith('-') && !runnerSubcommands.has(word)) return [word];
  }
  return [];
}

function normalize(path: string): string {
  return posix.normalize(path.replace(/\\/g, '/')).replace(/^\.\//, '').replace(/\/$/, '');
}

function isString(value: string | null): value is string {
  return value !== null;
}
