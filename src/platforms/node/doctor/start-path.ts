/**
 * Is the wired entry on the path the app really starts from? From each file package.json starts
 * (starters.ts), mapped to its source when it is compiled output (dist/server.js → src/server.ts,
 * or what the build script bundles), the relative imports and requires are followed through the
 * AST until the entry is reached. `off` is certain only when every starter could be read and
 * every import followed; otherwise doctor cannot tell and says so.
 */
import { readNodeFacts, type NodeFacts } from '../detect/facts.js';
import { sourceCandidates } from '../detect/source-map.js';
import { buildInput } from '../detect/start-scripts.js';
import { nodeStarters, type Starter } from '../detect/starters.js';
import { ProjectFiles } from '../../../detectors/project-files.js';
import { loadChain, walkLoads, type SourceFileText } from '../wiring/app-files.js';
import { projectAliases } from '../wiring/path-aliases.js';

export type StartPath =
  | { kind: 'on'; starter: Starter; chain: string[] }
  /** startFile: the file the first starter runs, as source: where the init belongs instead. */
  | { kind: 'off'; starters: Starter[]; startFile: string | null; certain: boolean; doubts: string[] }
  | { kind: 'no-starter' };

/** Generous: a start path is rarely deep, but doctor must not call a deep one off. */
const limits = { maxFiles: 400, maxDepth: 24 };
const buildOutput = /^(dist|build|out|lib)\//;

export async function findStartPath(root: string, entry: string): Promise<StartPath> {
  const facts = await readNodeFacts(new ProjectFiles(root));
  const starters = await nodeStarters(facts);
  if (starters.length === 0) return { kind: 'no-starter' };
  const read = (path: string) => facts.files.text(path);
  const aliases = await projectAliases(read);
  const doubts: string[] = [];
  let startFile: string | null = null;
  let followed = 0;
  for (const starter of starters) {
    const starts = await startFiles(facts, starter);
    if (starts.length === 0) {
      // Missing build output may load the entry once built; any other missing file runs nothing.
      if (buildOutput.test(starter.path)) doubts.push(`${starter.path} (${starter.via}) is not built yet`);
      continue;
    }
    followed++;
    startFile ??= starts[0]!.path;
    const walk = await walkLoads(starts, read, { ...limits, aliases, target: entry });
    if (walk.loadedBy.has(entry) || starts.some((file) => file.path === entry)) return { kind: 'on', starter, chain: loadChain(walk, entry) };
    if (!walk.complete) doubts.push(`the imports of ${starts[0]!.path} go deeper than doctor follows`);
    // A bundle inlines what it imports: without its source, the build check reads it instead.
    if (starts.every((file) => file.path === starter.path) && buildOutput.test(starter.path)) doubts.push(`${starter.path} is built output whose source doctor cannot name (the build check reads it)`);
    if (walk.opaque.length > 0) doubts.push(`${[...new Set(walk.opaque)].slice(0, 3).join(', ')} cannot be parsed or loads a module by a computed path`);
    if (walk.unfollowed.length > 0) doubts.push(`${starts[0]!.path} loads ${[...new Set(walk.unfollowed)].slice(0, 3).join(', ')} through an alias no tsconfig/jsconfig paths resolve`);
  }
  return { kind: 'off', starters, startFile, certain: followed > 0 && doubts.length === 0, doubts };
}

/** The files a starter runs: its source (the init goes into source), the file itself, and what the build bundles into it. */
async function startFiles(facts: NodeFacts, starter: Starter): Promise<SourceFileText[]> {
  const paths = sourceCandidates(facts, starter.path).map((candidate) => candidate.path);
  const bundled = buildInput(facts.pkg)?.path.replace(/^\.\//, '');
  if (bundled && buildOutput.test(starter.path)) paths.push(bundled);
  const files: SourceFileText[] = [];
  for (const path of new Set(paths)) {
    const text = await facts.files.text(path);
    if (text !== null) files.push({ path, text });
  }
  return files;
}
