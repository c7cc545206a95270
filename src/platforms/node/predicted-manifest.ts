import { unifiedDiff } from '../../plan/diff.js';
import { addedPackages, type DependencyRecord, type InstallState } from '../../plan/state.js';

/** The diff of package.json that the planned package-manager command will make, or null when it adds no dependency there. */
export function predictedPackageJsonDiff(state: InstallState): string | null {
  const added = addedPackages(state);
  if (added.length === 0) return null;
  const before = state.manifests.find((manifest) => manifest.path === state.project.manifest)?.before;
  if (!before) return null;
  const after = withDependencies(before, added);
  return after === null ? null : unifiedDiff(state.project.manifest, before, after);
}

function withDependencies(text: string, added: DependencyRecord[]): string | null {
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
  const current = (typeof manifest.dependencies === 'object' && manifest.dependencies) || {};
  const dependencies = Object.fromEntries(Object.entries({ ...current, ...Object.fromEntries(added.map((sdk) => [sdk.name, sdk.spec])) }).sort(([a], [b]) => a.localeCompare(b, 'en')));
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const indent = /^[ \t]+(?=")/m.exec(text)?.[0] ?? '  ';
  const pretty = JSON.stringify({ ...manifest, dependencies }, null, indent).replace(/\n/g, newline);
  return text.endsWith('\n') ? pretty + newline : pretty;
}
