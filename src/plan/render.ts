/**
 * How a Plan is shown: as a unified diff plus the commands (`--dry-run`, on stdout; the install
 * record summarised and package.json's coming change predicted, record-view.ts), as data
 * (`--json`), and as the one-line-per-change summary after applying (stderr).
 */
import type { Plan } from './plan.js';
import { unifiedDiff } from './diff.js';
import { predictedManifestDiff, recordSummary } from './record-view.js';
import { STATE_FILE } from './state.js';

export function planAsDiff(plan: Plan): string {
  const parts: string[] = [];
  for (const copy of plan.copies) parts.push(`copy ${copy.from} -> ${copy.path}\n`);
  for (const command of plan.commands) parts.push(`run ${command.display}   (in ${command.cwd})\n`);
  const record = plan.edits.find((edit) => edit.path === STATE_FILE);
  const manifest = plan.action === 'install' && plan.commands.length > 0 ? predictedManifestDiff(record?.after ?? null) : null;
  if (manifest) parts.push(`which makes this change to ${plan.project.manifest}:\n${manifest}`);
  for (const edit of plan.edits) {
    const record = edit.path === STATE_FILE && edit.after !== null;
    parts.push(record ? recordSummary(edit.path, edit.before, edit.after) : minified(edit) ?? unifiedDiff(edit.path, edit.before, edit.after));
  }
  for (const removal of plan.removals) parts.push(`delete ${removal}\n`);
  return parts.join('');
}

/** A minified script (a static site's copy of the SDK) in one line: its one long line says nothing in a diff. */
function minified(edit: Plan['edits'][number]): string | null {
  if (!edit.path.endsWith('.min.js')) return null;
  const verb = edit.after === null ? 'delete' : edit.before === null ? 'create' : 'replace';
  return `${verb} ${edit.path} (a minified script, ${Buffer.byteLength(edit.after ?? edit.before ?? '')} bytes; --json holds its text)\n`;
}

/** The Plan as JSON data: the edits keep their full before/after text. */
export function planAsJson(plan: Plan, extra: Record<string, unknown> = {}): string {
  const { project, ...rest } = plan;
  const data = {
    ...extra,
    action: plan.action,
    project,
    copies: rest.copies,
    commands: rest.commands.map(({ argv, cwd, display }) => ({ argv, cwd, display })),
    edits: rest.edits.map((edit) => ({
      path: edit.path,
      change: edit.before === null ? 'create' : edit.after === null ? 'delete' : 'modify',
      before: edit.before,
      after: edit.after,
    })),
    removals: rest.removals,
    notes: rest.notes,
  };
  return `${JSON.stringify(data, null, 2)}\n`;
}

/** One line per change, for the summary after applying (a file edited before and after the commands is one line). */
export function planSummary(plan: Plan): string[] {
  return [
    ...new Set([
      ...plan.copies.map((copy) => `copied   ${copy.path}`),
      ...plan.edits.map((edit) => `${edit.before === null ? 'created ' : edit.after === null ? 'deleted ' : 'modified'} ${edit.path}`),
      ...plan.removals.map((removal) => `deleted  ${removal}`),
      ...plan.commands.map((command) => `ran      ${command.display}`),
    ]),
  ];
}
