/**
 * detect(): turns a directory into a Project, or a question, or nothing. It finds the candidate
 * projects (the directory's own manifests, workspace members, one level down), detects each with
 * its runtime's detectors, and picks one only when the evidence does: an explicit option, a single
 * candidate, or a single candidate that is an app at all. Otherwise the user chooses.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { platformNamed, platformOfFramework, platformsOfPackageManager } from '../platforms/index.js';
import type { Runtime } from '../project.js';
import { candidatesOneLevelDown, lookedFor, runtimesIn, type BrowserApp, type Candidate } from './candidates.js';
import type { Choose, DetectOptions, Detection, ProjectOutcome } from './detection.js';

export type { Choice, DetectOptions, Detection } from './detection.js';

interface Detected {
  candidate: Candidate;
  outcome: ProjectOutcome;
}

export async function detect(dir: string, options: DetectOptions = {}): Promise<Detection> {
  const root = resolve(dir);
  const wanted = wantedRuntimes(options);
  const ofWantedRuntime = (candidates: Candidate[]) => candidates.filter((c) => !wanted || wanted.includes(c.runtime));

  const browserApps: BrowserApp[] = [];
  const manifestsHere = ofWantedRuntime(await runtimesIn(root, browserApps));
  const member = options.entry ? await memberHoldingEntry(root, options.entry, manifestsHere) : null;
  if (member) return inMember(member, options);
  const here = await detectAll(manifestsHere, options);
  const atRoot = () => withBrowserApps(pick(root, here, `This directory holds a ${[...new Set(here.map((d) => d.candidate.runtime))].join(' and a ')} project. Which one?`, '--runtime', 'manifest here'), root, browserApps);
  if (here.some(isApp) || (here.length > 0 && (options.entry || options.exactDir))) return atRoot();
  if (options.exactDir && browserApps.length > 0 && here.length === 0) return nothing(root, wanted, browserApps);

  // The root has no app of its own (or no manifest at all): the app may sit one level down.
  const below = await detectAll(ofWantedRuntime(await candidatesOneLevelDown(root, browserApps)), options);
  if (here.length > 0 && !below.some(isApp)) return atRoot();
  if (below.length === 0) return nothing(root, wanted, browserApps);
  return withBrowserApps(pick(root, below, 'Several projects were found. Which one should ez-pixel wire?', '--cwd or --runtime', 'project one level down'), root, browserApps);
}

interface MemberEntry {
  member: Candidate;
  /** The entry relative to the member's root. */
  entry: string;
  /** The entry as given, relative to the workspace root. */
  given: string;
}

/**
 * An --entry inside a workspace member: that member's manifest declares the framework and takes
 * the dependency, so the member is the project (what `--cwd <member> --entry <file>` gives).
 */
async function memberHoldingEntry(root: string, entry: string, manifests: Candidate[]): Promise<MemberEntry | null> {
  const target = resolve(root, entry);
  for (const manifest of manifests) {
    const members = await platformNamed(manifest.runtime).members?.(manifest.root);
    for (const member of members?.candidates ?? []) {
      const inside = relative(member.root, target);
      if (inside && !inside.startsWith('..') && !isAbsolute(inside)) return { member, entry: inside.replace(/\\/g, '/'), given: entry };
    }
  }
  return null;
}

async function inMember({ member, entry, given }: MemberEntry, options: DetectOptions): Promise<Detection> {
  const outcome = await platformNamed(member.runtime).detect(member.root, { ...options, entry, exactDir: true });
  const says = `${given} lies in the workspace package ${member.shownBy}, so that package is the project (entry ${entry})`;
  if (outcome.kind === 'project') outcome.project.evidence.unshift({ about: 'workspace', says });
  else outcome.evidence.unshift(says);
  return outcome;
}

function describeBrowserApps(root: string, browserApps: BrowserApp[]): string[] {
  return browserApps.map((app) => `${relative(root, app.root).replace(/\\/g, '/') || '.'} is a browser app (${app.why}), so it is left out`);
}

function nothing(root: string, wanted: Runtime[] | undefined, browserApps: BrowserApp[]): Detection {
  return { kind: 'nothing', looked: lookedFor(root, wanted), browserApps: describeBrowserApps(root, browserApps) };
}

/** The browser apps left out (no framework of ours wires them) are part of the evidence: the user sees why their front end was not offered. */
function withBrowserApps(outcome: ProjectOutcome, root: string, browserApps: BrowserApp[]): ProjectOutcome {
  const says = describeBrowserApps(root, browserApps);
  if (outcome.kind === 'project') outcome.project.evidence.push(...says.map((line) => ({ about: 'runtime' as const, says: line })));
  else outcome.evidence.push(...says);
  return outcome;
}

/** The runtimes the options allow (`--pm npm`: Node and the browser), or undefined: any. */
function wantedRuntimes(options: DetectOptions): Runtime[] | undefined {
  if (options.runtime) return [options.runtime];
  if (options.framework) return [platformOfFramework(options.framework)];
  if (options.pm) return platformsOfPackageManager(options.pm);
  return undefined;
}

function detectAll(candidates: Candidate[], options: DetectOptions): Promise<Detected[]> {
  return Promise.all(candidates.map(async (candidate) => ({ candidate, outcome: await detectCandidate(candidate, options) })));
}

/** One candidate; a root with no app of its own may stand for its members (a JS workspace's packages). */
async function detectCandidate(candidate: Candidate, options: DetectOptions): Promise<ProjectOutcome> {
  const platform = platformNamed(candidate.runtime);
  const outcome = await platform.detect(candidate.root, options);
  if (appScore(outcome) > 0 || options.entry || !platform.members) return outcome;
  const members = await platform.members(candidate.root);
  if (!members || members.candidates.length === 0) return outcome;
  return withBrowserApps(pick(candidate.root, await detectAll(members.candidates, options), 'Which workspace package should ez-pixel wire?', '--cwd', 'workspace package'), candidate.root, members.browserApps);
}

/** The single candidate, or the single one that is an app; otherwise a question. `kind` names the candidates in the evidence. */
function pick(root: string, detected: Detected[], question: string, flag: string, kind: string): ProjectOutcome {
  const apps = detected.filter(isApp);
  const only = detected.length === 1 ? detected[0]! : apps.length === 1 ? apps[0]! : null;
  if (!only) return chooseProject(root, detected, question, flag);
  if (only.outcome.kind === 'project' && (detected.length > 1 || only.candidate.root !== root)) {
    const why = detected.length === 1 ? `the only ${kind}` : `the only ${kind} with an app (the others have no framework and no entry)`;
    only.outcome.project.evidence.unshift({ about: 'runtime', says: `${only.candidate.shownBy} is ${why}` });
  }
  return only.outcome;
}

function isApp(detected: Detected): boolean {
  return appScore(detected.outcome) > 0;
}

/** 2: a framework; 1: an entry (or a question about one); 0: nothing to instrument. */
function appScore(outcome: ProjectOutcome): number {
  if (outcome.kind === 'choose') return 1;
  const { framework, entry } = outcome.project;
  if (framework !== 'plain' && framework !== 'script') return 2;
  return entry ? 1 : 0;
}

function chooseProject(root: string, detected: Detected[], question: string, flag: string): Choose {
  return {
    kind: 'choose',
    about: 'project',
    question,
    choices: detected.map(({ candidate, outcome }) => {
      const where = relative(root, candidate.root).replace(/\\/g, '/') || '.';
      const hint = outcome.kind === 'project'
        ? `${candidate.runtime} · ${outcome.project.framework}${outcome.project.entry ? ` · ${outcome.project.entry}` : ''}`
        : `${candidate.runtime} · ${outcome.question}`;
      return { label: `${where} (${candidate.shownBy})`, hint, options: { cwd: candidate.root, runtime: candidate.runtime } };
    }),
    flag,
    evidence: detected.map(({ candidate }) => `${candidate.shownBy} exists`),
  };
}
