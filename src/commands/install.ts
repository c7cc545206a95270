/**
 * `ez-pixel install`: detect the project, plan the wiring, show or apply the plan (a
 * transaction), and report every file and command. Thin: the work is in detectors/, plan/ and ui/.
 */
import { entryProblem, packageManagerProblem } from '../detectors/given.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { checkIngestUrl, isProjectKey, withIngestPath } from '../key.js';
import { platformOf, platformOfFramework } from '../platforms/index.js';
import { ProjectFiles } from '../detectors/project-files.js';
import { recordedEntry } from '../detectors/recorded-entry.js';
import { planInstall, type InstallOptions } from '../plan/install-plan.js';
import { withRealEntry } from '../plan/write-target.js';
import { addedPackages, STATE_FILE } from '../plan/state.js';
import { planAsDiff, planAsJson, planSummary } from '../plan/render.js';
import type { Framework, PackageManager, Project, Runtime } from '../project.js';
import { applyWithProgress } from '../ui/apply-with-progress.js';
import { findProject } from '../ui/find-project.js';
import { confirmReadOnlyChanges, readOnlyChanged } from '../ui/read-only.js';
import { uncommittedFiles } from '../ui/git-status.js';
import { requireDirectory } from '../ui/project-dir.js';
import { canPrompt, confirm, requireYesWithoutTty, say } from '../ui/terminal.js';

interface InstallFlags {
  yes?: boolean;
  cwd: string;
  cwdGiven?: boolean;
  runtime?: Runtime;
  framework?: Framework;
  entry?: string;
  pm?: PackageManager;
  key?: string;
  ingestUrl?: string;
  skipInstall?: boolean;
  fromRegistry?: boolean;
  dryRun?: boolean;
  json?: boolean;
  verbose?: boolean;
}

/** Problems stop the command; notes are said before it goes on; the ingest URL comes back as it will be written. */
function checkFlags(flags: InstallFlags): { notes: string[]; ingestUrl?: string } {
  if (flags.key !== undefined && !isProjectKey(flags.key)) {
    throw new CliError(`--key "${flags.key}" is not a project key (expected pk_live_… or pk_test_…: ^pk_(live|test)_[A-Za-z0-9_-]{1,128}$)`, ExitCode.usage);
  }
  const runtime = flags.runtime ?? (flags.framework ? platformOfFramework(flags.framework) : undefined);
  const pmProblem = flags.pm && runtime ? packageManagerProblem(runtime, flags.pm) : null;
  if (pmProblem) throw new CliError(pmProblem, ExitCode.usage);
  if (flags.ingestUrl === undefined) return { notes: [] };
  const url = checkIngestUrl(flags.ingestUrl);
  if (!url.ok) throw new CliError(url.reason, ExitCode.usage);
  const notes = url.warning ? [url.warning] : [];
  const ingestUrl = withIngestPath(flags.ingestUrl);
  if (ingestUrl !== flags.ingestUrl) {
    notes.push(`--ingest-url ${flags.ingestUrl} names no path; events go to ${ingestUrl}, where ez-pixel listen and serve take them`);
  }
  return { notes, ingestUrl };
}

export async function installCommand(options: Record<string, unknown>): Promise<number> {
  const given = options as unknown as InstallFlags;
  const { notes: urlNotes, ingestUrl } = checkFlags(given);
  const flags: InstallFlags = { ...given, ingestUrl };
  requireYesWithoutTty('install', flags);
  const interactive = canPrompt(flags);
  const cwd = await requireDirectory(flags.cwd);
  checkEntry(cwd, flags.entry);

  say.intro('ez-pixel install');
  for (const note of urlNotes) say.warn(note);
  const project = await findProject(cwd, { runtime: flags.runtime, framework: flags.framework, entry: flags.entry, pm: flags.pm, exactDir: flags.cwdGiven === true }, interactive);
  // Detection may pick a project below --cwd; the entry must be inside that one too.
  checkEntry(project.root, flags.entry === undefined ? undefined : (project.entry ?? undefined));
  await refuseSecondEntry(project);
  say.info(describeProject(project));

  const planning = await planWithKeyCheck(project, flags, interactive);
  const { plan } = planning;
  if (planning.generatedKey) say.step(`Generated the project key ${planning.settings.projectKey}`);
  else say.step(`Using the project key ${planning.settings.projectKey}`);
  for (const note of plan.notes) say.warn(note);

  if (planning.alreadySetUp) {
    if (flags.json) process.stdout.write(planAsJson(plan, { status: 'already-set-up' }));
    say.outro('Already set up: nothing to change.');
    return ExitCode.ok;
  }
  if (flags.dryRun) {
    process.stdout.write(flags.json ? planAsJson(plan, { status: 'planned' }) : planAsDiff(plan));
    say.outro('Dry run: nothing was changed.');
    return ExitCode.ok;
  }

  await confirmDirtyTree(project.root, interactive, flags.yes === true);
  const readOnly = await confirmReadOnlyChanges(plan, interactive);
  if (interactive) {
    say.note(planSummary(plan).join('\n'), 'ez-pixel will');
    if (!(await confirm('Apply these changes?'))) throw new CliError('cancelled; nothing was changed', ExitCode.failed);
  }

  await applyWithProgress(plan, flags.verbose === true);

  if (flags.json) process.stdout.write(planAsJson(plan, { status: 'installed' }));
  say.note(planSummary(plan).join('\n'), 'Changes');
  const readOnlyNote = readOnlyChanged(readOnly);
  if (readOnlyNote) say.warn(readOnlyNote);
  const steps = await nextSteps(project, planning.settings.ingestUrl);
  const artifacts = addedPackages(planning.state).flatMap((added) => (added.artifact ? [added.artifact] : []));
  // The lockfile or manifest points at the copied artifacts, so teammates need them in the repository.
  const commit = artifacts.length === 1 ? `Commit ${artifacts[0]} with the rest: a fresh clone installs the SDK from it.` : `Commit ${artifacts.join(' and ')} with the rest: a fresh clone installs the SDKs from them.`;
  say.note(artifacts.length > 0 ? `${steps}\n${commit}` : steps, 'Next steps');
  say.outro('ez-pixel is wired in.');
  return ExitCode.ok;
}

async function planWithKeyCheck(project: Project, flags: InstallFlags, interactive: boolean) {
  const options: InstallOptions = {
    key: flags.key,
    ingestUrl: flags.ingestUrl,
    fromRegistry: flags.fromRegistry === true,
    skipInstall: flags.skipInstall === true,
  };
  let planning = await planInstall(project, options);
  if (planning.kind === 'no-entry') throw new CliError(planning.message, ExitCode.nothingToInstrument, 'nothing was changed');
  if (planning.kind === 'key-conflict') {
    const question = `${planning.foundIn} already holds the key ${planning.existing}. Replace it with ${planning.requested}?`;
    if (!interactive) {
      throw new CliError(
        `${planning.foundIn} already holds the project key ${planning.existing}; ez-pixel does not rotate a key without asking`,
        ExitCode.usage,
        'run install in a terminal to confirm the new key, or drop --key to keep the existing one',
      );
    }
    if (!(await confirm(question))) throw new CliError('kept the existing key; nothing was changed', ExitCode.failed);
    planning = await planInstall(project, { ...options, replaceKey: true });
  }
  if (planning.kind === 'manual') {
    process.stdout.write(`${planning.snippet}\n`);
    const todo = project.unsupported ? 'do this instead (printed on stdout too):' : 'add this by hand (printed on stdout too), then run ez-pixel install again:';
    throw new CliError(`could not wire ez-pixel automatically: ${planning.reason}`, ExitCode.manualWiringNeeded, `${todo}\n\n${planning.snippet}\n\nnothing was changed`);
  }
  if (planning.kind === 'needs-flag') throw new CliError(planning.message, ExitCode.usage, planning.fix);
  if (planning.kind === 'refused') throw new CliError(planning.message, ExitCode.usage, 'nothing was changed');
  if (planning.kind === 'problem') throw new CliError(planning.message, ExitCode.failed);
  if (planning.kind !== 'plan') throw new CliError('the key conflict was not resolved', ExitCode.failed);
  return planning;
}

function checkEntry(root: string, entry: string | undefined): void {
  const problem = entry === undefined ? null : entryProblem(root, entry);
  if (problem) throw new CliError(problem, ExitCode.usage, 'nothing was changed');
}

/** A project already wired keeps its entry: a different `--entry` would wire a second file. */
async function refuseSecondEntry(project: Project): Promise<void> {
  const recorded = await recordedEntry(new ProjectFiles(project.root), project.runtime);
  // A symlinked entry was wired at its target: naming the link again is the same entry.
  if (!recorded?.exists || recorded.entry === project.entry || recorded.entry === (await withRealEntry(project)).entry) return;
  throw new CliError(
    `ez-pixel is already wired into ${recorded.entry} (recorded in ${STATE_FILE}); --entry ${project.entry} would wire a second file`,
    ExitCode.usage,
    `to move it, run ez-pixel uninstall, then ez-pixel install --entry ${project.entry}; nothing was changed`,
  );
}

async function confirmDirtyTree(root: string, interactive: boolean, yes: boolean): Promise<void> {
  const dirty = await uncommittedFiles(root);
  if (dirty.length === 0) return;
  const list = dirty.slice(0, 20).join('\n') + (dirty.length > 20 ? `\n… and ${dirty.length - 20} more` : '');
  if (interactive) {
    say.warn(`The git tree has uncommitted changes:\n${list}`);
    if (!(await confirm('Continue anyway?'))) throw new CliError('cancelled; nothing was changed', ExitCode.failed);
  } else if (yes) {
    say.warn(`The git tree has uncommitted changes (continuing because of --yes):\n${list}`);
  }
}

function describeProject(project: Project): string {
  const what = `${project.runtime} / ${project.framework}, ${project.packageManager}${project.entry ? `, entry ${project.entry}` : ''}`;
  return `Found ${what} in ${project.root}\n${project.evidence.map((evidence) => `  · ${evidence.says}`).join('\n')}`;
}

async function nextSteps(project: Project, ingestUrl: string): Promise<string> {
  const platform = platformOf(project);
  const start = await platform.startCommand(project);
  const { off } = platform.envVariables(project);
  return [
    `1. npx ez-pixel listen        see events arrive (${ingestUrl})`,
    `2. ${start} (or however you start the app)`,
    '3. npx ez-pixel doctor        check every link, with a live test event',
    ...(off ? [`Test runs: set ${off}=1 so they send nothing.`] : []),
    'For production: npx ez-pixel install --ingest-url https://your-ingest/ingest (only the URL changes).',
  ].join('\n');
}
