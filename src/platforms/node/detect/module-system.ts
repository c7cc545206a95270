/**
 * The module system the entry runs as: the file extension decides when it can (.mjs/.mts, .cjs/.cts);
 * for TypeScript, tsconfig `module` decides unless it defers to package.json (node16/nodenext);
 * otherwise package.json `type`.
 */
import { posix } from 'node:path';
import type { Evidence, ModuleSystem } from '../../../project.js';
import { asString } from '../../../detectors/project-files.js';
import type { Finding } from '../../../detectors/types.js';
import type { NodeFacts } from './facts.js';

const byExtension: Record<string, ModuleSystem> = { '.mjs': 'esm', '.mts': 'esm', '.cjs': 'cjs', '.cts': 'cjs' };
const typescriptExtensions = new Set(['.ts', '.tsx']);
/** tsconfig `module` values that follow package.json `type` instead of fixing the output format. */
const followsPackageType = /^node(16|18|20|next)$/;

export function detectModuleSystem(facts: NodeFacts, entry: string | null): Finding<ModuleSystem> {
  const ext = entry ? posix.extname(entry) : '';
  const fixed = byExtension[ext];
  if (fixed) return finding(fixed, `${entry} has the ${ext} extension`);

  const tsModule = facts.tsconfig?.module;
  if (typescriptExtensions.has(ext) && tsModule && !followsPackageType.test(tsModule)) {
    const system: ModuleSystem = tsModule === 'commonjs' || tsModule === 'umd' || tsModule === 'amd' ? 'cjs' : 'esm';
    return finding(system, `${facts.tsconfig!.file} module is ${tsModule}`);
  }

  const type = asString(facts.pkg.type);
  if (type === 'module') return finding('esm', 'package.json type is module');
  return finding('cjs', type ? `package.json type is ${type}` : 'package.json has no type field (CommonJS)');
}

function finding(value: ModuleSystem, says: string): Finding<ModuleSystem> {
  const evidence: Evidence[] = [{ about: 'module', says }];
  return { value, evidence };
}
