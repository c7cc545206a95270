/** Detects a browser app at `root`: framework, client entry, TypeScript, package manager, workspace (the JS tooling is Node's). */
import type { Evidence } from '../../../project.js';
import type { DetectOptions, ProjectOutcome } from '../../../detectors/detection.js';
import { pickEntry, pickFramework } from '../../../detectors/frameworks/pick.js';
import { givenEvidence } from '../../../detectors/given.js';
import { ProjectFiles } from '../../../detectors/project-files.js';
import { jsPackageManager, typescriptEvidenceFor } from '../../node/detect/detect-project.js';
import { readNodeFacts } from '../../node/detect/facts.js';
import { findWorkspaceRoot } from '../../node/detect/workspace.js';
import { browserAppReason } from '../browser-app.js';
import { browserFrameworks } from '../frameworks/index.js';

export async function detectBrowserProject(root: string, options: DetectOptions): Promise<ProjectOutcome> {
  const files = new ProjectFiles(root);
  const facts = await readNodeFacts(files);
  const why = await browserAppReason(files);
  const evidence: Evidence[] = [
    options.runtime ? givenEvidence('runtime', '--runtime', options.runtime) : { about: 'runtime', says: `a browser app: ${why ?? 'package.json exists'}` },
    ...facts.unreadable,
  ];
  const pm = await jsPackageManager(root, options);
  if ('kind' in pm) return pm;
  evidence.push(...pm.evidence);

  const framework = await pickFramework(browserFrameworks, facts, options.framework);
  evidence.push(...framework.evidence);
  const picked = await pickEntry(root, framework.detector, facts, options.entry);
  if ('kind' in picked) return picked;
  const { entry } = picked;
  evidence.push(...picked.evidence);

  const typescriptEvidence = typescriptEvidenceFor(facts, entry);
  evidence.push(...typescriptEvidence);
  // The page loads the entry with <script type="module">: it is an ES module whatever package.json's "type" says.
  evidence.push({ about: 'module', says: 'the page loads the entry as an ES module' });

  const workspace = await findWorkspaceRoot(root);
  if (workspace) evidence.push(...workspace.evidence);

  return {
    kind: 'project',
    project: {
      root,
      runtime: 'browser',
      framework: framework.detector.framework,
      packageManager: pm.packageManager,
      workspaceRoot: workspace?.value ?? null,
      moduleSystem: 'esm',
      typescript: typescriptEvidence.length > 0,
      manifest: 'package.json',
      interpreter: null,
      entry,
      evidence,
    },
  };
}
