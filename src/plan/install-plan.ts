/**
 * Plans an install: the init files, the entry edit, the .env lines, the SDK dependency and the
 * install record, as one Plan. Reads the project; writes nothing. A plan with no changes means
 * the project is already set up.
 */
import { join, relative } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { wireEntry } from '../inject/index.js';
import { STATE_DIR } from '../package-managers/sdk.js';
import type { Project } from '../project.js';
import { readText } from '../read-text.js';
import { initWiringFor, readInitSettings, updateInitSettings, type InitSettings, type InitWiring } from '../templates/index.js';
import { platformOf } from '../platforms/index.js';
import { version } from '../version.js';
import { completeDependencyRecord, planDependency } from './dependency-plan.js';
import { styleEdits } from './code-style.js';
import { findFormatter } from './formatter.js';
import { ENV_FILE, readEnvVariable } from './dotenv.js';
import { planDockerfileCopies } from './dockerfile.js';
import { missingDirs } from './made-dirs.js';
import { envNotIgnoredNote } from './env-ignored.js';
import { envSettingsProblem, planEnvLines } from './env-plan.js';
import { chooseSettings, mergeKnown, type RequestedSettings } from './existing-settings.js';
import { isEmptyPlan, type FileEdit, type Plan } from './plan.js';
import { parseState, serializeState, sha256, STATE_FILE, type InstallState } from './state.js';
import { describeEscapes, planEscapes, withRealEntry, writeTarget } from './write-target.js';

export interface InstallOptions extends RequestedSettings {
  fromRegistry: boolean;
  skipInstall: boolean;
}

export type InstallPlanning =
  | { kind: 'plan'; plan: Plan; state: InstallState; settings: InitSettings; generatedKey: boolean; alreadySetUp: boolean }
  | { kind: 'key-conflict'; existing: string; requested: string; foundIn: string }
  | { kind: 'manual'; reason: string; snippet: string }
  /** No entry file was detected or given: nothing to wire the init into. */
  | { kind: 'no-entry'; message: string }
  /** A value or a file ez-pixel will not write (a symlink out of the project, a value .env cannot hold): exit 2. */
  | { kind: 'refused'; message: string }
  | { kind: 'problem'; message: string }
  /** A choice only a flag can make (a published package needs --from-registry). */
  | { kind: 'needs-flag'; message: string; fix: string };

/**
 * Keeps `ez-pixel listen`'s default event store (stack traces, messages) out of the committed
 * .ez-pixel/, and keeps the SDK artifact in: GitHub's Node template ignores `*.tgz` (and others
 * `*.whl`), and a lockfile pointing at an artifact git never saw fails on every other clone.
 */
const STATE_GITIGNORE = { path: `${STATE_DIR}/.gitignore`, content: 'events.jsonl\nevents.db*\n!*.tgz\n!*.whl\n' };

export async function planInstall(detected: Project, options: InstallOptions): Promise<InstallPlanning> {
  const project = await withRealEntry(detected);
  const platform = platformOf(project);
  if (project.unsupported) {
    return {
      kind: 'manual',
      reason: `${project.unsupported.name} is not supported: it catches ${project.unsupported.catches} itself, where ez-pixel has no hook`,
      snippet: platform.unsupportedSteps?.(project, project.unsupported) ?? '',
    };
  }
  if (project.framework !== 'next' && project.entry === null) {
    return {
      kind: 'no-entry',
      message: `no entry file was found in ${project.root} to load the init from; pass --entry <file> (relative to --cwd) to name the file your app starts from`,
    };
  }
  const read = (path: string): Promise<string | null> => readText(join(project.root, path));
  const stateText = await read(STATE_FILE);
  const stateRead = parseState(stateText);
  if (stateRead.kind === 'unreadable') return { kind: 'problem', message: `${stateRead.reason}; fix or delete it and run again` };
  const previous = stateRead.kind === 'state' ? stateRead.state : null;

  // The wiring's file names do not depend on the settings, so a placeholder finds the init file.
  const probe = initWiringFor(project, { projectKey: 'pk_live_probe', ingestUrl: 'http://127.0.0.1/ingest' });
  const initText = await read(probe.initFile);
  const fromInit = initText === null ? {} : readInitSettings(initText);
  const envText = await read(ENV_FILE);
  const variables = platform.envVariables(project);
  const known = mergeKnown([
    { from: STATE_FILE, ...previous?.settings },
    { from: probe.initFile, ...fromInit },
    { from: ENV_FILE, projectKey: readEnvVariable(envText, variables.key)?.value, ingestUrl: readEnvVariable(envText, variables.url)?.value },
  ]);
  const choice = chooseSettings(known, options);
  if (choice.kind === 'key-conflict') return choice;
  const { settings } = choice;
  const wiring = initWiringFor(project, settings);

  const edits: FileEdit[] = [];
  const notes: string[] = [];
  if (project.entry !== detected.entry) {
    notes.push(`${detected.entry} is a symlink to ${project.entry}: that file is wired, and the init goes beside it (Node and Python resolve the link before its imports)`);
  }
  const files = previous ? [...previous.files] : [];
  const remember = (path: string, content: string): void => {
    const at = files.findIndex((file) => file.path === path);
    if (at === -1) files.push({ path, sha256: sha256(content) });
    else files[at] = { path, sha256: sha256(content) };
  };

  for (const file of wiring.files) {
    const before = await read(file.path);
    // A bundled copy install made is replaced whole; one it did not make (or an init) keeps its bytes but the settings.
    const replaced = file.bundled && files.some((known) => known.path === file.path);
    const after = before === null || replaced ? file.content : updateInitSettings(before, settings);
    if (after === before) continue;
    edits.push({ path: file.path, before, after });
    if (before === null || files.some((known) => known.path === file.path)) remember(file.path, after);
  }

  const entry = await planEntry(project, wiring, read, previous?.entry ?? null);
  if (entry.kind === 'manual') return entry;
  for (const edit of entry.edits) {
    edits.push(edit);
    if (edit.before === null && edit.after !== null) remember(edit.path, edit.after);
  }
  for (const followUp of entry.followUps) notes.push(`${followUp.reason}:\n${followUp.snippet}`);

  const gitignore = await read(STATE_GITIGNORE.path);
  // One an older install wrote (unchanged since) is brought up to date; one the user edited is theirs.
  const ours = gitignore !== null && files.some((file) => file.path === STATE_GITIGNORE.path && file.sha256 === sha256(gitignore));
  if (gitignore === null || (ours && gitignore !== STATE_GITIGNORE.content)) {
    edits.push({ path: STATE_GITIGNORE.path, before: gitignore, after: STATE_GITIGNORE.content });
    remember(STATE_GITIGNORE.path, STATE_GITIGNORE.content);
  }

  const selfContained = platform.selfContained?.(project) ?? null;
  const envProblem = selfContained ? null : envSettingsProblem(settings, variables);
  if (envProblem) return { kind: 'refused', message: envProblem };
  const env = selfContained ? { edit: null, lines: [], notes: [selfContained] } : planEnvLines(envText, settings, previous?.lines ?? [], variables);
  if (env.edit) edits.push(env.edit);
  notes.push(...env.notes);
  const envIgnored = env.edit?.before === null ? await envNotIgnoredNote(project.root) : null;
  if (envIgnored) notes.push(envIgnored);

  const extras = await platform.installExtras(project, wiring, read, { ...options, previous, settings });
  if (extras.kind === 'needs-flag') return extras;
  edits.push(...extras.edits);
  notes.push(...extras.notes);
  // A file an extra creates is deleted by uninstall; lines it adds to a file that is not a manifest are taken out again.
  const extraFiles = new Set(previous?.extraFiles ?? []);
  for (const edit of extras.edits) {
    if (edit.before === null && edit.after !== null) remember(edit.path, edit.after);
    else if (!extras.manifests.some((manifest) => manifest.path === edit.path) && !files.some((file) => file.path === edit.path)) extraFiles.add(edit.path);
  }
  const dependency = await planDependency(project, { ...options, previous, read });
  if (dependency.kind === 'problem') {
    return dependency.manual ? { kind: 'manual', reason: dependency.message, snippet: dependency.manual } : { kind: 'problem', message: dependency.message };
  }
  edits.push(...dependency.edits);
  notes.push(...dependency.notes);

  // Only a file: dependency needs .ez-pixel/ inside the image; a registry one installs anywhere.
  const fromArtifact = [dependency.dependency, ...dependency.companions].some((added) => added?.source === 'artifact');
  const docker = fromArtifact ? await planDockerfileCopies(read, previous?.lines ?? []) : null;
  if (docker) {
    edits.push(...docker.edits);
    notes.push(...docker.notes);
  }

  // In the project's style: its formatter's, or the entry's quotes and semicolons.
  const formatter = findFormatter(project.root);
  const styled = await styleEdits(formatter, edits, new Set(files.map((file) => file.path)), await read(wiring.entry));
  // An edit the formatter turned back into the file as it is (a re-run on a formatted init) is no edit.
  edits.splice(0, edits.length, ...styled.filter((edit) => edit.after !== edit.before));
  for (const edit of edits) if (edit.after !== null && files.some((file) => file.path === edit.path)) remember(edit.path, edit.after);

  // The state folder is uninstall's own business (planStateDirRemoval).
  const made = edits.filter((edit) => edit.before === null && edit.after !== null).flatMap((edit) => missingDirs(project.root, edit.path));
  const madeDirs = [...new Set([...(previous?.madeDirs ?? []), ...made.filter((dir) => dir !== STATE_DIR)])];
  const state: InstallState = {
    version: 1,
    cli: previous?.cli ?? version,
    project: projectRecord(project),
    settings,
    dependency: dependency.dependency,
    ...(dependency.companions.length > 0 ? { companions: dependency.companions } : {}),
    entry: entry.record ?? previous?.entry ?? null,
    files,
    ...(extraFiles.size > 0 ? { extraFiles: [...extraFiles] } : {}),
    lines: [...env.lines, ...dependency.lines, ...(docker?.lines ?? [])],
    // A manifest an extra edit changed (Node: package.json's sideEffects) is restored by uninstall even without a package-manager run.
    manifests: [...dependency.manifests, ...extras.manifests.filter((extra) => !dependency.manifests.some((m) => m.path === extra.path))],
    createdDirs: dependency.createdDirs,
    ...(madeDirs.length > 0 ? { madeDirs } : {}),
    ...(dependency.lockfiles.length > 0 ? { lockfiles: dependency.lockfiles } : {}),
  };
  const plan: Plan = { action: 'install', project, copies: dependency.copies, commands: dependency.commands, edits, removals: [], notes };
  const alreadySetUp = isEmptyPlan(plan);
  if (!alreadySetUp) {
    edits.push({
      path: STATE_FILE,
      before: stateText,
      after: serializeState(state),
      finalAfter: async () => {
        const text = serializeState(await completeDependencyRecord(project.root, state, dependency));
        // A record that says what it said (a clone's re-run that only re-creates its gitignored .env)
        // keeps its bytes: the formatter found now may not be the one the first install had.
        if (stateText !== null && sameJson(stateText, text)) return stateText;
        return formatter ? formatter.format(STATE_FILE, text) : text;
      },
    });
  }
  const escapes = await planEscapes(plan);
  if (escapes.length > 0) {
    return { kind: 'refused', message: `ez-pixel does not write through a symlink that leads out of the project:\n${describeEscapes(escapes)}\nReplace the link with a file (or point it inside the project), then run install again` };
  }
  return { kind: 'plan', plan, state, settings, generatedKey: choice.generatedKey, alreadySetUp };
}

interface EntryPart {
  kind: 'entry';
  /** The entry's edit, then the files where request-error hooks went (the file that creates the app). */
  edits: FileEdit[];
  record: InstallState['entry'];
  followUps: { reason: string; snippet: string }[];
}

async function planEntry(
  project: Project,
  wiring: InitWiring,
  read: (path: string) => Promise<string | null>,
  previous: InstallState['entry'],
): Promise<EntryPart | { kind: 'manual'; reason: string; snippet: string }> {
  const target = await writeTarget(project.root, join(project.root, wiring.entry));
  if (target.kind === 'outside') {
    return {
      kind: 'manual',
      reason: `${wiring.entry} is a symlink to ${target.real}, outside the project, and ez-pixel does not write there; add this line at the top of that file`,
      snippet: wiring.importStatement,
    };
  }
  const source = await read(wiring.entry);
  const wired = await wireEntry(project, wiring.entry, source, wiring, read);
  if (wired.kind === 'manual') return wired;
  if (wired.kind === 'present') return { kind: 'entry', edits: [], record: null, followUps: [] };
  const edits: FileEdit[] = [];
  for (const [path, after] of wired.texts) edits.push({ path, before: path === wiring.entry ? source : await read(path), after });
  // A re-run that wires only new files (a Streamlit page added since install) keeps the entry's
  // record and adds them to it, so uninstall takes out every line install ever put in.
  const recorded = wired.texts.has(wiring.entry) || previous === null ? null : previous;
  const hookFiles = [...new Set([...(previous?.hookFiles ?? []), ...[...wired.texts.keys()].filter((path) => path !== wiring.entry)])];
  return {
    kind: 'entry',
    edits,
    record: { ...(recorded ?? { path: wiring.entry, importStatement: wiring.importStatement, marker: wiring.marker }), ...(hookFiles.length > 0 ? { hookFiles } : {}) },
    followUps: wired.followUps,
  };
}

/** What install.json records of the project: no absolute paths, since the record is committed and read on other machines. */
function projectRecord(project: Project): InstallState['project'] {
  return {
    runtime: project.runtime,
    framework: project.framework,
    packageManager: project.packageManager,
    moduleSystem: project.moduleSystem,
    typescript: project.typescript,
    manifest: project.manifest,
    entry: project.entry,
    workspaceRoot: project.workspaceRoot === null ? null : relative(project.root, project.workspaceRoot).replace(/\\/g, '/') || '.',
  };
}

function sameJson(a: string, b: string): boolean {
  try {
    return isDeepStrictEqual(JSON.parse(a), JSON.parse(b));
  } catch {
    return false;
  }
}
