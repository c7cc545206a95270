/**
 * The entry a previous install wired, read from `.ez-pixel/install.json`. Once a project is
 * wired, that file is the entry for doctor, a re-run of install and uninstall, whatever
 * detection would pick today (the user may have named it with `--entry`): a re-run never wires a
 * second file. Shared by every runtime: pickEntry consults it before the framework's detector.
 */
import { parseState, STATE_FILE } from '../plan/state.js';
import type { Evidence, Runtime } from '../project.js';
import type { ProjectFiles } from './project-files.js';

export interface RecordedEntry {
  entry: string;
  /** false when the recorded file was deleted since: detection then looks again. */
  exists: boolean;
  evidence: Evidence;
}

export async function recordedEntry(files: ProjectFiles, runtime: Runtime): Promise<RecordedEntry | null> {
  const read = parseState(await files.text(STATE_FILE));
  if (read.kind !== 'state' || read.state.project.runtime !== runtime) return null;
  const entry = read.state.entry?.path ?? read.state.project.entry;
  if (!entry) return null;
  const exists = await files.isFile(entry);
  return {
    entry,
    exists,
    evidence: {
      about: 'entry',
      says: exists
        ? `${entry} is the entry recorded in ${STATE_FILE} (the one install wired)`
        : `${entry} is the entry recorded in ${STATE_FILE}, but it no longer exists`,
    },
  };
}
