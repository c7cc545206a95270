/** Detects a Node project at `root`: framework, entry, module system, TypeScript, package manager, workspace. */
import type { Evidence, JsPackageManager, PackageManager } from '../../../project.js';
import { choosePackageManager, type Choose, type DetectOptions, type ProjectOutcome } from '../../../detectors/detection.js';
import { nodeFrameworks } from '../frameworks/index.js';
import { pickEntry, pickFramework } from '../../../detectors/frameworks/pick.js';
import { givenEvidence } from '../../../detectors/given.js';
import { detectJsPackageManager } from './package-manager.js';
import { ProjectFiles } from '../../../detectors/project-files.js';
import { readNodeFacts, type NodeFacts } from './facts.js';
import { detectModuleSystem } from './module-system.js';
import { findWorkspaceRoot } from './workspace.js';

const typescriptFile = /\.(ts|mts|cts|tsx)$/;

/** Why the project is TypeScript (a tsconfig, the dependency, else a .ts entry); empty when it is not. */
export function typescriptEvidenceFor(facts: NodeFacts, entry: string | null): Evidence[] {
  if (facts.typescriptEvidence.length > 0 || !entry || !typescriptFile.test(entry)) return [...facts.typescriptEvidence];
  return [{ about: 'typescript', says: `the entry ${entry} is TypeScript` }];
}

/** The package manager `--pm` names, or the one detected (a question when two lockfiles disagree). */
export async function jsPackageManager(root: string, options: DetectOptions): Promise<{ packageManager: PackageManager; evidence: Evidence[] } | Choose> {
  if (options.pm) return { packageManager: options.pm, evidence: [givenEvidence('packageManager', '--pm', options.pm)] };
  const pm = await detectJsPackageManager(root);
  if ('ambiguous' in pm) return choosePackageManager(pm.ambiguous);
  return { packageManager: pm.found.value satisfies JsPackageManager, evidence: pm.found.evidence };
}

export async function detectNodeProject(root: string, options: DetectOptions): Promise<ProjectOutcome> {
  const facts = await readNodeFacts(new ProjectFiles(root));
  const evidence: Evidence[] = [
    options.runtime ? givenEvidence('runtime', '--runtime', options.runtime) : { about: 'runtime', says: 'package.json exists' },
    ...facts.unreadable,
  ];

  const pm = await jsPackageManager(root, options);
  if ('kind' in pm) return pm;
  const { packageManager } = pm;
  evidence.push(...pm.evidence);

  const framework = await pickFramework(nodeFrameworks, facts, options.framework);
  evidence.push(...framework.evidence);

  const picked = await pickEntry(root, framework.detector, facts, options.entry);
  if ('kind' in picked) return picked;
  const { entry } = picked;
  evidence.push(...picked.evidence);

  const typescriptEvidence = typescriptEvidenceFor(facts, entry);
  evidence.push(...typescriptEvidence);

  const moduleSystem = framework.detector.moduleSystem ?? detectModuleSystem(facts, entry);
  evidence.push(...moduleSystem.evidence);

  const workspace = await findWorkspaceRoot(root);
  if (workspace) evidence.push(...workspace.evidence);

  return {
    kind: 'project',
    project: {
      root,
      runtime: 'node',
      framework: framework.detector.framework,
      packageManager,
      workspaceRoot: workspace?.value ?? null,
      moduleSystem: moduleSystem.value,
      typescript: typescriptEvidence.length > 0,
      manifest: 'package.json',
      interpreter: null,
      entry,
      evidence,
    },
  };
}
