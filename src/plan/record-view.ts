/**
 * What `--dry-run` shows for the two things a plain diff shows badly. The install record
 * (`.ez-pixel/install.json`) holds whole manifests as JSON strings, one line each: it is shown as
 * a short summary. The package manager's edit of package.json is not a Plan edit (the command
 * makes it), so it is predicted from the record: the dependency added to `dependencies`, sorted,
 * in the file's own indentation and line endings, as npm, pnpm, yarn and bun write it.
 */
import { platformNamed } from '../platforms/index.js';
import { parseState, type InstallState } from './state.js';
import { unifiedDiff } from './diff.js';

export function recordSummary(path: string, before: string | null, after: string | null): string {
  const read = parseState(after);
  if (read.kind !== 'state') return unifiedDiff(path, before, after);
  const { state } = read;
  const rows: Array<[string, string]> = [
    ['entry', state.entry ? `${state.entry.path}: ${state.entry.importStatement}` : '(none: nothing inserted)'],
    ['settings', `${state.settings.projectKey.slice(0, 12)}… → ${state.settings.ingestUrl}`],
    ['dependency', state.dependency ? `${state.dependency.name} ${state.dependency.spec}` : '(not added by install)'],
    ['files', state.files.map((file) => file.path).join(', ') || '(none)'],
    ['lines', linesByFile(state) || '(none)'],
    ['manifests', state.manifests.map((m) => `${m.path} (${m.before === null ? 'absent before install' : `${lineCount(m.before)} lines kept for uninstall to put back`})`).join(', ') || '(none)'],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  const verb = before === null ? 'create' : 'update';
  return `${verb} ${path}: the install record that doctor, a re-run and uninstall read\n${rows.map(([name, value]) => `  ${name.padEnd(width)}  ${value}\n`).join('')}`;
}

function lineCount(text: string): number {
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

function linesByFile(state: InstallState): string {
  const counts = new Map<string, number>();
  for (const line of state.lines) counts.set(line.file, (counts.get(line.file) ?? 0) + 1);
  return [...counts].map(([file, count]) => `${file}: ${count} line${count === 1 ? '' : 's'}`).join(', ');
}

/** The diff of the manifest that the planned package-manager command will make, or null when none is predicted. */
export function predictedManifestDiff(record: string | null): string | null {
  const read = parseState(record);
  if (read.kind !== 'state' || !read.state.dependency) return null;
  return platformNamed(read.state.project.runtime).predictedManifestDiff(read.state);
}
