/**
 * The shapes detectors share. A detector answers one question (which framework, which entry, which
 * package manager) from a few files and returns a finding with its evidence, or nothing.
 */
import type { Evidence, Framework, ModuleSystem, Runtime } from '../project.js';

/** An answer plus the reasons for it. */
export interface Finding<T> {
  value: T;
  evidence: Evidence[];
}

/** Evidence that leaves two or more answers standing: the command must ask, or fail naming a flag. */
export interface Ambiguity<T> {
  candidates: Array<{ value: T; because: string }>;
  evidence: Evidence[];
  /** A single guess that nothing is known to run: asked about, and without a terminal, nothing to instrument (exit 3). */
  unconfirmed?: boolean;
}

export type Outcome<T> = { found: Finding<T> } | { ambiguous: Ambiguity<T> };

/** The entry finding: a path relative to the root, or null when no entry was found. */
export type EntryOutcome = Outcome<string | null>;

/** One framework: whether the project uses it, and where its init goes. */
export interface FrameworkDetector<Facts> {
  runtime: Runtime;
  framework: Framework;
  /** Evidence that the project uses this framework, or null. */
  detect(facts: Facts): Promise<Evidence[] | null>;
  /** The file the init is wired into for this framework. */
  entry(facts: Facts): Promise<EntryOutcome>;
  /** Set when the framework compiles the entry itself, whatever package.json says. */
  moduleSystem?: Finding<ModuleSystem>;
}

export function found<T>(value: T, evidence: Evidence[]): { found: Finding<T> } {
  return { found: { value, evidence } };
}
