/** The public shapes of detection (re-exported by index.ts), and the conversion of ambiguities into questions. */
import type { Framework, PackageManager, Project, Runtime } from '../project.js';
import type { Ambiguity } from './types.js';

export interface DetectOptions {
  runtime?: Runtime;
  framework?: Framework;
  entry?: string;
  pm?: PackageManager;
  /** --cwd was given: a directory with a manifest of its own is the project, never one below it. */
  exactDir?: boolean;
}

export interface Choice {
  label: string;
  hint: string;
  options: DetectOptions & { cwd?: string };
}

export type Choose = {
  kind: 'choose';
  about: 'project' | 'packageManager' | 'entry';
  question: string;
  choices: Choice[];
  flag: string;
  evidence: string[];
  /** The only candidate is a guess nothing is known to run: without a terminal this is exit 3, not a usage error. */
  unconfirmed?: boolean;
};

export type Detection =
  | { kind: 'project'; project: Project }
  // Evidence conflicts or several candidates: the command asks (TTY) or, under --yes, fails with exit 2 naming `flag`.
  | Choose
  /** `browserApps`: browser apps found and left out, each said in a sentence. */
  | { kind: 'nothing'; looked: string[]; browserApps?: string[] };

/** What detecting one directory as one runtime gives: a project, or a question. */
export type ProjectOutcome = { kind: 'project'; project: Project } | Choose;

export function choosePackageManager(ambiguity: Ambiguity<PackageManager>): Choose {
  return {
    kind: 'choose',
    about: 'packageManager',
    question: 'Which package manager does this project use?',
    choices: ambiguity.candidates.map((c) => ({ label: c.value, hint: c.because, options: { pm: c.value } })),
    flag: '--pm',
    evidence: ambiguity.evidence.map((e) => e.says),
  };
}

export function chooseEntry(ambiguity: Ambiguity<string | null>): Choose {
  const candidates = ambiguity.candidates.filter((c): c is { value: string; because: string } => c.value !== null);
  return {
    kind: 'choose',
    about: 'entry',
    question: ambiguity.unconfirmed
      ? `Nothing in package.json runs ${candidates[0]?.value}. Wire it anyway (choose it), or pass --entry with the file your app starts from?`
      : 'Which file should the init be wired into?',
    choices: candidates.map((c) => ({ label: c.value, hint: c.because, options: { entry: c.value } })),
    flag: '--entry',
    evidence: ambiguity.evidence.map((e) => e.says),
    ...(ambiguity.unconfirmed ? { unconfirmed: true } : {}),
  };
}
