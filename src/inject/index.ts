/**
 * Injection: wiring the init into the entry, unwiring it, and checking that it loads first.
 * Edits only insert (and removal takes out exactly what was inserted); when the parser cannot place
 * an edit safely the answer is `manual` with the snippet to paste, and nothing changes.
 */
import { platformOf } from '../platforms/index.js';
import type { Project } from '../project.js';
import type { InitWiring } from '../templates/index.js';
import { lineKey, removeLines } from './lines.js';

export type Injection =
  /** `after`: the entry's new full text, the original bytes plus only the inserted line(s). `followUp`: a
   *  part that could not be placed (the lines for a Next.js app's own onRequestError): print it, the
   *  init itself is wired. The frameworks' request-error hooks are wired by request-errors.ts. */
  | { kind: 'insert'; after: string; followUp?: { reason: string; snippet: string } }
  | { kind: 'present' }
  | { kind: 'manual'; reason: string; snippet: string };

export type Removal =
  | { kind: 'remove'; after: string | null /* null: delete the file (one we created) */ }
  | { kind: 'absent' }
  | { kind: 'manual'; reason: string; snippet: string };

export type LoadOrder =
  | { kind: 'first' }
  | { kind: 'late'; before: string /* what runs earlier */ }
  /** The entry loads the init first, but a package __init__.py around it runs other code before. */
  | { kind: 'after-package'; packageInit: string; before: string }
  | { kind: 'missing' }
  | { kind: 'unparseable'; reason: string };

/** Wires the init into the entry (the request-error hooks follow, see wireEntry). */
export async function addInit(project: Project, entryPath: string, source: string | null, wiring: InitWiring): Promise<Injection> {
  return platformOf(project).addInit(project, entryPath, source, wiring);
}

export interface FollowUp {
  reason: string;
  snippet: string;
}

export type EntryWiring =
  | { kind: 'wired'; /** path → new text: the entry first, then any file where a request-error hook went. */ texts: Map<string, string>; followUps: FollowUp[] }
  | Exclude<Injection, { kind: 'insert' }>;

/** The init into the entry, then each framework's request-error hook into the file that creates the app. */
export async function wireEntry(
  project: Project,
  entryPath: string,
  source: string | null,
  wiring: InitWiring,
  read: (path: string) => Promise<string | null>,
): Promise<EntryWiring> {
  return platformOf(project).wireEntry(project, entryPath, source, wiring, read);
}

/** Takes out exactly the lines addInit inserted (so install then uninstall is byte-identical). */
export async function removeInit(project: Project, source: string, wiring: InitWiring): Promise<Removal> {
  return platformOf(project).removeInit(project, source, wiring);
}

/** doctor's check: does the entry load the init before any other application code? (AST, not text.) */
export async function initLoadOrder(project: Project, entryPath: string, source: string): Promise<LoadOrder> {
  return platformOf(project).loadOrder(project, entryPath, source);
}

/** The answer when the entry to wire does not exist (yet): the line to add by hand. */
export function missingEntry(entryPath: string, wiring: InitWiring): Injection {
  return { kind: 'manual', reason: `${entryPath} does not exist; add this line at the top of your entry`, snippet: wiring.importStatement };
}

/**
 * The removal every platform shares: our entry lines and the lines `isHookLine` knows, each with
 * the platform's `marked` comment; a marked line changed since install is left for the user.
 */
export function removeMarkedLines(source: string, wiring: InitWiring, marked: RegExp, isHookLine: (line: string) => boolean): Removal {
  const ours = new Set([...wiring.entryLines, ...(wiring.pageLine ? [wiring.pageLine] : [])].map(lineKey));
  const removal = removeLines(source, (line) => ours.has(lineKey(line)) || isHookLine(line), marked);
  if (removal.kind === 'edited') {
    return {
      kind: 'manual',
      reason: `lines marked ez-pixel were changed after install; remove them by hand`,
      snippet: removal.lines.join('\n'),
    };
  }
  return removal.count === 0 ? { kind: 'absent' } : { kind: 'remove', after: removal.after };
}
