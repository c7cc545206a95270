/**
 * What one platform (a language runtime and its SDK) knows, as one value. Shared code (detection,
 * planning, doctor, uninstall) asks the Platform of a project and never names one itself; a new
 * platform is a folder under src/platforms/ exporting one of these, listed in index.ts. See
 * docs/adding-a-platform.md.
 */
import type { BrowserApp, Candidate } from '../detectors/candidates.js';
import type { DetectOptions, ProjectOutcome } from '../detectors/detection.js';
import type { ProjectFiles } from '../detectors/project-files.js';
import type { Check } from '../doctor/check.js';
import type { DoctorContext } from '../doctor/context.js';
import type { EntryWiring, Injection, LoadOrder, Removal } from '../inject/index.js';
import type { SdkSource } from '../package-managers/commands.js';
import type { PackageManagerRow } from '../package-managers/table.js';
import type { EnvVariables } from '../plan/dotenv.js';
import type { Command, FileEdit } from '../plan/plan.js';
import type { InstallState } from '../plan/state.js';
import type { Framework, PackageManager, Project, UnsupportedFramework } from '../project.js';
import type { InitSettings, InitWiring } from '../templates/index.js';
import type { PlatformName } from './names.js';

type ReadText = (path: string) => Promise<string | null>;

/** The SDK package a platform installs, and the file name of the artifact the CLI bundles. */
export interface SdkPackage {
  name: string;
  artifact: string;
}

/** The manifest edits and commands that declare the SDK, before planDependency adds the artifact copy and the record. */
export interface PlannedDeclaration {
  spec: string;
  commands: Command[];
  edits: FileEdit[];
  lines: InstallState['lines'];
  manifests: InstallState['manifests'];
  notes: string[];
}

export type DeclarationProblem = { kind: 'problem'; message: string; manual: string | null };

/** Where the SDK is found from the project: its version, or why it is not there. */
export type InstalledSdk = { version: string } | { missing: string; fix: string };

/** How the live probe runs the init file in the project's own runtime. */
export interface ProbeRun {
  argv: string[];
  env: Record<string, string>;
  cleanup: () => Promise<void>;
}

/**
 * What install plans beyond the init, the entry and the dependency: a flag it needs, extra edits.
 * A file an extra edit creates is recorded and deleted by uninstall; whole lines it adds to an
 * existing file (not a manifest) are taken out again by `removeExtraLines`.
 */
export type InstallExtras =
  | { kind: 'needs-flag'; message: string; fix: string }
  | { kind: 'extras'; edits: FileEdit[]; notes: string[]; manifests: InstallState['manifests'] };

export interface Platform {
  name: PlatformName;
  /** The frameworks its detectors find (so `--framework` names the platform). */
  frameworks: Framework[];
  /** Its package managers' rows of commands (package-managers/table.ts). */
  packageManagers: Partial<Record<PackageManager, PackageManagerRow>>;
  sdk: SdkPackage;
  /**
   * The SDKs installed along with `sdk`, by the same package-manager command (a full-stack
   * framework's @ez-pixel/browser); uninstall removes them with it.
   */
  companionSdks(project: Project): SdkPackage[];

  // Detection
  /** The manifest in `files` that shows a project of this platform, or null; a browser app found instead goes into `browserApps`. */
  manifestIn(files: ProjectFiles, browserApps: BrowserApp[]): Promise<string | null>;
  /** The manifest names it looks for, for the "nothing to instrument" answer. */
  manifestsLookedFor: string[];
  detect(root: string, options: DetectOptions): Promise<ProjectOutcome>;
  /** A root with no app of its own may stand for its members (a JS workspace's packages). */
  members?(root: string): Promise<{ candidates: Candidate[]; browserApps: BrowserApp[] } | null>;

  // The dependency
  /**
   * Why this project takes neither a package nor a .env, said in install's output (a static site:
   * the SDK and its init are files of the site, with the key and URL in the init); null or absent: it takes both.
   */
  selfContained?(project: Project): string | null;
  /** `packageName`: a companion SDK's; the platform's own by default. */
  declaresSdk(manifestPath: string, text: string, packageName?: string): boolean;
  /** Why the manifest cannot be read as data (package.json's JSON syntax) and how to fix it, or null. */
  manifestProblem(manifestPath: string, text: string): { message: string; fix: string } | null;
  /** A second file install adds the SDK's line to (pip's requirements file), or null; `counts`: a line there declares the SDK. */
  requirementsFile(project: Project): { path: string; counts: boolean } | null;
  /** `packages`: the SDKs to add, the platform's own and its companions, those already declared left out. */
  planDeclaration(
    project: Project,
    source: SdkSource,
    manifestText: string | null,
    options: { read: ReadText; skipInstall: boolean; packages: SdkPackage[] },
  ): Promise<PlannedDeclaration | DeclarationProblem>;
  /** The diff the package manager's command will make to the manifest, for the plan's review (null: none predicted). */
  predictedManifestDiff(state: InstallState): string | null;

  // Wiring
  initWiring(project: Project, settings: InitSettings): InitWiring;
  addInit(project: Project, entryPath: string, source: string | null, wiring: InitWiring): Promise<Injection>;
  wireEntry(project: Project, entryPath: string, source: string | null, wiring: InitWiring, read: ReadText): Promise<EntryWiring>;
  removeInit(project: Project, source: string, wiring: InitWiring): Promise<Removal>;
  /** Takes our lines out of a file other than the entry that install wired (Node: request-error hooks; Python: Streamlit pages). */
  removeHooks(source: string, wiring: InitWiring): Promise<Removal>;
  loadOrder(project: Project, entryPath: string, source: string): Promise<LoadOrder>;
  /** A name only the init's own .env reader holds: an init that has it reads EZ_PIXEL_* from .env. */
  dotenvReader: string;
  /** The .env variables that hold the key and URL for this project (the browser's: VITE_EZ_PIXEL_*). */
  envVariables(project: Project): EnvVariables;
  /** A framework it detects and cannot wire (Gradio…): the steps by hand; only a platform that detects one has it. */
  unsupportedSteps?(project: Project, framework: UnsupportedFramework): string;
  installExtras(
    project: Project,
    wiring: InitWiring,
    read: ReadText,
    options: { fromRegistry: boolean; skipInstall: boolean; previous: InstallState | null; settings: InitSettings },
  ): Promise<InstallExtras>;
  /** Takes out the whole lines installExtras added to an existing file (a full-stack framework's client init in its root layout). */
  removeExtraLines(project: Project, path: string, source: string): Promise<Removal>;
  /** How the wired app starts, for install's "Next steps". */
  startCommand(project: Project): Promise<string>;

  // Uninstall
  /** What the record leaves out because it differs per machine, found again on this one. */
  locate(root: string, recorded: InstallState['project']): Promise<Pick<Project, 'workspaceRoot' | 'interpreter'>>;
  /** The manifest as the package manager's remove command must read it (pdm: without our find-links source), or null: as it is. */
  manifestBeforeRemove(packageManager: PackageManager, manifest: string | null): string | null;
  /** A generated file the user's formatter rewrote is still the template (null: only the recorded hash counts). */
  sameGenerated: ((current: string, template: string) => boolean) | null;

  // Doctor
  installedSdk(project: Project, entry: string): Promise<InstalledSdk>;
  checkEntryRuns(context: DoctorContext): Promise<Check>;
  probeRun(context: DoctorContext): Promise<ProbeRun>;
  /** Checks only this platform has (Node: the built output is up to date), run after the shared ones. */
  moreChecks(context: DoctorContext): Promise<Check[]>;
}
