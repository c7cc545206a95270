/**
 * Maps a path package.json declares (often compiled output, e.g. dist/index.js) to the files that
 * could be its source, most likely first: through tsconfig outDir → rootDir, then the
 * conventional build directories → src/. Extension-less paths get the usual extensions.
 */
import { posix } from 'node:path';
import type { NodeFacts } from './facts.js';

export interface SourceCandidate {
  path: string;
  /** Why this path, when it is not the declared path itself (for the evidence). */
  note: string;
}

const buildDirectories = ['dist', 'build', 'lib', 'out'];
/** The TypeScript extensions tsc compiles to each JavaScript extension. */
const typescriptSourcesOf: Record<string, string[]> = {
  '.js': ['.ts', '.tsx'],
  '.mjs': ['.mts'],
  '.cjs': ['.cts'],
  '': ['.ts', '.tsx', '.mts', '.cts', '/index.ts'],
};
const extensionlessTries = ['.js', '.mjs', '.cjs', '.ts', '.tsx', '.mts', '.cts', '/index.js', '/index.ts'];
const sourceExtensions = new Set(['.ts', '.tsx', '.mts', '.cts', '.jsx']);

export function sourceCandidates(facts: NodeFacts, declared: string): SourceCandidate[] {
  const ext = posix.extname(declared);
  if (sourceExtensions.has(ext)) return [{ path: declared, note: '' }];
  const jsExt = ext in typescriptSourcesOf ? ext : '';
  const stem = jsExt ? declared.slice(0, -jsExt.length) : declared;
  const candidates: SourceCandidate[] = [];
  if (facts.typescript) {
    for (const mapped of mappedStems(facts, stem)) {
      for (const tsExt of typescriptSourcesOf[jsExt]!) {
        const path = mapped.stem + tsExt;
        candidates.push({ path, note: `; its source is ${path} (${mapped.how})` });
      }
    }
    for (const tsExt of typescriptSourcesOf[jsExt]!) {
      candidates.push({ path: stem + tsExt, note: `; its source is ${stem + tsExt}` });
    }
  }
  candidates.push({ path: declared, note: '' });
  if (!jsExt) {
    for (const tryExt of extensionlessTries) candidates.push({ path: stem + tryExt, note: ` (${stem + tryExt})` });
  }
  return candidates;
}

/** The stems a declared stem maps to when it lies in a build output directory. */
function mappedStems(facts: NodeFacts, stem: string): Array<{ stem: string; how: string }> {
  const mapped: Array<{ stem: string; how: string }> = [];
  const outDir = facts.tsconfig?.outDir;
  if (outDir && outDir !== '.' && stem.startsWith(`${outDir}/`)) {
    const rest = stem.slice(outDir.length + 1);
    const rootDir = facts.tsconfig?.rootDir;
    if (rootDir) {
      mapped.push({ stem: rootDir === '.' ? rest : `${rootDir}/${rest}`, how: `tsconfig outDir ${outDir} → rootDir ${rootDir}` });
    } else {
      // Without rootDir, tsc uses the common root of the inputs: usually src/, sometimes the project.
      mapped.push({ stem: `src/${rest}`, how: `tsconfig outDir ${outDir} → src` });
      mapped.push({ stem: rest, how: `tsconfig outDir ${outDir} → the project root` });
    }
  }
  for (const dir of buildDirectories) {
    if (dir !== outDir && stem.startsWith(`${dir}/`)) {
      mapped.push({ stem: `src/${stem.slice(dir.length + 1)}`, how: `${dir}/ is build output; sources live in src/` });
    }
  }
  return mapped;
}
