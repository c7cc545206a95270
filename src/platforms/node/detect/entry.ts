/**
 * The entry of a Node app, in order of evidence: the file `scripts.start` (then `scripts.dev`,
 * then `start:*`, `dev:*` and `serve`) really runs, `bin`, `main`, `exports`, then conventional paths, which are only offered since
 * nothing is known to run them. Paths into compiled output (dist/index.js) are mapped back to
 * their TypeScript source: the init goes into source.
 */
import { posix } from 'node:path';
import type { Evidence } from '../../../project.js';
import { asObject, asString } from '../../../detectors/project-files.js';
import { found, type EntryOutcome } from '../../../detectors/types.js';
import type { NodeFacts } from './facts.js';
import { sourceCandidates } from './source-map.js';
import { scriptStarts } from './script-starts.js';
import { buildInput } from './start-scripts.js';

/**
 * Where package.json names an entry, strongest evidence first: the file the start script really
 * runs, then the dev script's, then those of the other start scripts (start:dev, start:prod, serve), then what the build script bundles, then a `bin` (a CLI is its own app), `main`, `exports`, and last a
 * `bin` that only generates or sets up projects (create-*, init, setup), which is not the app.
 */
type Declared = Array<{ path: string; says: string }>;
const manifestSources: Array<{ field: string; paths: (facts: NodeFacts) => Declared | Promise<Declared> }> = [
  { field: 'scripts.start', paths: (facts) => fromScript(facts, 'start') },
  { field: 'scripts.dev', paths: (facts) => fromScript(facts, 'dev') },
  { field: 'scripts.start:*', paths: async (facts) => (await Promise.all(startVariants(facts.pkg).map((name) => fromScript(facts, name)))).flat() },
  { field: 'scripts.build', paths: ({ pkg }) => fromBuild(pkg) },
  { field: 'bin', paths: ({ pkg }) => binPaths(pkg.bin).filter((bin) => !isGenerator(bin)).map(named('bin')) },
  { field: 'main', paths: ({ pkg }) => [asString(pkg.main)].filter(isString).map((path) => ({ path, says: `package.json main is ${path}` })) },
  { field: 'exports', paths: ({ pkg }) => exportPaths(pkg.exports).map((path) => ({ path, says: `package.json exports is ${path}` })) },
  { field: 'bin', paths: ({ pkg }) => binPaths(pkg.bin).filter(isGenerator).map(named('bin (a generator or setup command, not the app)')) },
];

/** Template and one-time setup folders: what they hold is never the app's entry. */
export const notEntryFolders = /^(remix\.init|templates?|examples?|scripts|fixtures|__fixtures__|test|tests)\//;
const generatorBin = /(^|[-_./])(create|init|setup|generate|generator|scaffold|new|bootstrap)([-_.]|$)/;

const conventionalStems = ['src/index', 'src/main', 'src/server', 'src/app', 'index', 'main', 'server', 'app'];
const typescriptExtensions = ['.ts', '.mts', '.cts', '.tsx'];
const javascriptExtensions = ['.js', '.mjs', '.cjs'];

export async function findNodeEntry(facts: NodeFacts): Promise<EntryOutcome> {
  for (const source of manifestSources) {
    const declared = [...new Map((await source.paths(facts)).map((d) => [normalize(d.path), d])).entries()];
    const resolved: Array<{ path: string; evidence: Evidence }> = [];
    for (const [path, { says }] of declared) {
      if (notEntryFolders.test(path)) continue;
      const file = await resolveSource(facts, path);
      if (file) resolved.push({ path: file.path, evidence: { about: 'entry', says: `${says}${file.note}` } });
    }
    const distinct = resolved.filter((r, i) => resolved.findIndex((other) => other.path === r.path) === i);
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

/**
 * No script, bin or main names a file. `npm start` without a start script runs `node server.js`,
 * so server.js is run; any other conventional file is only a guess that nothing is known to run:
 * it is offered as a question (under --yes: exit 3 naming --entry), never wired silently.
 */
async function conventionalEntry(facts: NodeFacts): Promise<EntryOutcome> {
  if (!asString(asObject(facts.pkg.scripts)?.start) && (await facts.files.isFile('server.js'))) {
    return found('server.js', [{ about: 'entry', says: "server.js is what npm start runs when package.json has no start script (npm's default: node server.js)" }]);
  }
  const extensions = facts.typescript
    ? [...typescriptExtensions, ...javascriptExtensions]
    : [...javascriptExtensions, ...typescriptExtensions];
  const candidates = conventionalStems.flatMap((stem) => extensions.map((ext) => stem + ext));
  const file = await facts.files.firstFile(candidates);
  if (file) {
    return {
      ambiguous: {
        candidates: [{ value: file, because: `${file} is a conventional entry path, but no script, bin or main runs it` }],
        evidence: [{ about: 'entry', says: `nothing in package.json runs ${file} (no start or dev script, bin or main names it)` }],
        unconfirmed: true,
      },
    };
  }
  return found(null, [{ about: 'entry', says: 'package.json names no entry and no conventional entry file exists' }]);
}

/**
 * The source file for a declared path, with a note when it was mapped from compiled output. A file
 * git ignores is build output (build/main.js from tsup): the next build replaces it and a clone
 * never has it, so the evidence after this (the dev or build script) names the source.
 */
async function resolveSource(facts: NodeFacts, declared: string): Promise<{ path: string; note: string } | null> {
  for (const candidate of sourceCandidates(facts, declared)) {
    if ((await facts.files.isFile(candidate.path)) && !(await facts.files.isGitIgnored(candidate.path))) return { path: candidate.path, note: candidate.note };
  }
  return null;
}

interface BinEntry {
  command: string;
  path: string;
}

export function binPaths(bin: unknown): BinEntry[] {
  const single = asString(bin);
  if (single) return [{ command: '', path: single }];
  return Object.entries(asObject(bin) ?? {}).flatMap(([command, path]) => (asString(path) ? [{ command, path: asString(path)! }] : []));
}

function isGenerator(bin: BinEntry): boolean {
  return generatorBin.test(bin.command) || generatorBin.test(posix.basename(bin.path).replace(/\.[cm]?[jt]s$/, ''));
}

function named(field: string): (bin: BinEntry) => { path: string; says: string } {
  return (bin) => ({ path: bin.path, says: `package.json ${field} ${bin.command ? `${bin.command} ` : ''}is ${bin.path}` });
}

/** What the build bundles, when the start script runs its output (dist/index.js with no source mapping to it). */
function fromBuild(pkg: Record<string, unknown>): Array<{ path: string; says: string }> {
  const input = buildInput(pkg);
  return input ? [{ path: input.path, says: `package.json ${input.via} builds ${input.path}, the source of what scripts.start runs` }] : [];
}

/**
 * The other scripts that start the app, in package.json's order: `start:dev`, `start:prod`,
 * `dev:server`, `serve`, `develop`. Many projects have no plain `start`; what these run is still the app.
 */
function startVariants(pkg: Record<string, unknown>): string[] {
  return Object.keys(asObject(pkg.scripts) ?? {}).filter((name) => /^(start|dev)[:-]\w|^(serve|develop)([:-]\w|$)/.test(name));
}

/** The file a script runs, or the apps of the pm2 ecosystem file it starts. */
async function fromScript(facts: NodeFacts, name: string): Promise<Declared> {
  return (await scriptStarts(facts, name)).map((run) => ({ path: run.path, says: `package.json ${run.via} runs ${run.path}` }));
}

/** The `.` export's file: the `node`, `import`, `require` or `default` condition, nested or not. */
export function exportPaths(exports: unknown): string[] {
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

export function normalize(path: string): string {
  return posix.normalize(path.replace(/\\/g, '/')).replace(/^\.\//, '').replace(/\/$/, '');
}

function isString(value: string | null): value is string {
  return value !== null;
}
