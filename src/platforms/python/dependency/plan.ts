/** The Python declaration as plan pieces: the manifest edit or the package manager's commands, pip's requirements line, and the import check. */
import { projectCommand, type SdkSource } from '../../../package-managers/commands.js';
import { appendLine, hasLine } from '../../../plan/line-file.js';
import type { Command } from '../../../plan/plan.js';
import { sha256 } from '../../../plan/state.js';
import type { Project } from '../../../project.js';
import type { DeclarationProblem, PlannedDeclaration } from '../../platform.js';
import { pythonInEnvironment } from '../environment.js';
import { declarePython } from './declaration.js';
import { checkPipTarget } from './pip.js';
import { uvPythonMissing } from './uv-python.js';

type ReadText = (path: string) => Promise<string | null>;

/** The declaration (declaration.ts) as plan pieces, then the check that the SDK imports where the app runs. */
export async function planPythonDeclaration(
  project: Project,
  source: SdkSource,
  manifestText: string | null,
  { read, skipInstall }: { read: ReadText; skipInstall: boolean },
): Promise<PlannedDeclaration | DeclarationProblem> {
  // PEP 668 forbids pip installing into a system Python; --skip-install installs nothing there.
  if (project.packageManager === 'pip' && !skipInstall) {
    const target = await checkPipTarget(project.interpreter);
    if ('reason' in target) return { kind: 'problem', message: target.reason, manual: null };
  }
  const outcome = declarePython(project, source.kind === 'artifact' ? source.path : null, manifestText);
  if (outcome.kind === 'manual') return { kind: 'problem', message: outcome.reason, manual: outcome.snippet };
  const { declaration } = outcome;
  const pythonMissing = project.packageManager === 'uv' && !skipInstall ? await uvPythonMissing(project) : null;
  const planned: PlannedDeclaration = {
    spec: declaration.spec,
    commands: declaration.commands.map((argv) => ({ ...projectCommand(project, argv), ...(pythonMissing ? { failure: pythonMissing } : {}) })),
    edits: [],
    lines: [],
    manifests: [],
    notes: declaration.note ? [declaration.note] : [],
  };
  if (declaration.manifestAfter !== null) {
    planned.edits.push({ path: project.manifest, before: manifestText, after: declaration.manifestAfter, beforeCommands: true });
    // Hashed once the commands ran: they rewrite it (pdm add, poetry lock).
    planned.manifests.push({ path: project.manifest, before: manifestText, afterSha256: planned.commands.length > 0 ? null : sha256(declaration.manifestAfter) });
  }
  if (declaration.requirementsLine) {
    const { file, line } = declaration.requirementsLine;
    const before = await read(file);
    if (!hasLine(before, line)) {
      planned.edits.push({ path: file, before, after: appendLine(before, line) });
      planned.lines.push({ file, line, createdFile: before === null });
    }
  }
  planned.commands.push(importCheck(project));
  return planned;
}

/** `import ez_pixel` in the app's own environment: an install that leaves the app unable to import it failed. */
function importCheck(project: Project): Command {
  const run = pythonInEnvironment(project, ['-c', 'import ez_pixel']);
  return {
    ...projectCommand(project, run.argv),
    touches: [],
    creates: [],
    failure: `ez_pixel does not import in the environment the app runs in (${run.display})`,
  };
}

