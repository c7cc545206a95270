/**
 * `ez-pixel doctor`: checks every link of the chain on the Project that install's detectors see,
 * from the manifest to a live test event. Exit 0 when nothing fails, 1 when a check fails.
 */
import { resolve } from 'node:path';
import { detect } from '../detectors/index.js';
import { fail, pass, type Check } from '../doctor/check.js';
import { buildContext, type DoctorOptions } from '../doctor/context.js';
import { checkCommittable } from '../doctor/committable-check.js';
import { checkEntryRuns } from '../doctor/entry-runs-check.js';
import { checkEnvAgreement } from '../doctor/env-check.js';
import { checkIngest } from '../doctor/ingest-check.js';
import { checkInitFile, checkKeyConsistency, checkLoadOrder } from '../doctor/init-checks.js';
import { checkInstalled } from '../doctor/installed-check.js';
import { checkManifest } from '../doctor/manifest-check.js';
import { runProbe } from '../doctor/probe.js';
import { checksAsJson, renderChecks } from '../doctor/report.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { platformOf } from '../platforms/index.js';
import { checkIngestUrl, isProjectKey } from '../key.js';
import type { Project } from '../project.js';

interface DoctorFlags {
  cwd: string;
  cwdGiven?: boolean;
  json?: boolean;
  send: boolean;
  ingestUrl?: string;
  key?: string;
}

function validate(flags: DoctorFlags): DoctorOptions {
  if (flags.key !== undefined && !isProjectKey(flags.key)) {
    throw new CliError(`--key "${flags.key}" is not a project key (pk_live_… or pk_test_…)`, ExitCode.usage);
  }
  if (flags.ingestUrl !== undefined) {
    const url = checkIngestUrl(flags.ingestUrl);
    if (!url.ok) throw new CliError(url.reason, ExitCode.usage);
  }
  return { send: flags.send, ingestUrl: flags.ingestUrl, key: flags.key };
}

function describe(project: Project): string {
  const parts = [project.runtime, project.framework, project.packageManager, `entry ${project.entry ?? '(none)'}`];
  return parts.join(' · ');
}

async function runChecks(dir: string, options: DoctorOptions, exactDir: boolean): Promise<Check[]> {
  const detection = await detect(dir, { exactDir });
  if (detection.kind === 'nothing') {
    const browser = detection.browserApps?.length ? `: ${detection.browserApps.join('; ')}` : ` (looked for ${detection.looked.join(', ')})`;
    return [fail('project', `nothing to instrument in ${dir}${browser}`, 'npx ez-pixel doctor --cwd <project dir>')];
  }
  if (detection.kind === 'choose') {
    return [fail('project', detection.question, `pass ${detection.flag}: ${detection.choices.map((c) => c.label).join(' or ')}`)];
  }
  const { project } = detection;
  if (project.entry === null && project.framework !== 'next') {
    return [fail('project', `${describe(project)}: no entry file was found to wire`, 'npx ez-pixel install --entry <the file that starts the app>')];
  }
  const context = await buildContext(project, options);
  const checks = [pass('project', describe(project))];
  // The static checks are independent: run them side by side.
  checks.push(
    ...(await Promise.all([
      checkManifest(project),
      checkInstalled(project, context.wiring.entry),
      checkInitFile(context),
      checkLoadOrder(context),
      checkEntryRuns(context),
      checkKeyConsistency(context),
      // A project that takes no .env (a static site) has nothing there to agree or disagree.
      ...(platformOf(project).selfContained?.(project) ? [] : [checkEnvAgreement(context)]),
      checkCommittable(project),
      checkIngest(context.ingestUrl),
    ])),
  );
  checks.push(...(await platformOf(project).moreChecks(context)));
  // The probe needs a loadable SDK and init and a reachable ingest; without them it would only repeat their failure.
  const prerequisites = new Set(['installed', 'init-file', 'ingest']);
  const ready = checks.every((check) => !prerequisites.has(check.id) || check.status !== 'fail');
  if (options.send && ready) checks.push(await runProbe(context));
  return checks;
}

export async function doctorCommand(options: Record<string, unknown>): Promise<number> {
  const flags = options as unknown as DoctorFlags;
  const checks = await runChecks(resolve(flags.cwd), validate(flags), flags.cwdGiven === true);
  process.stdout.write(flags.json ? checksAsJson(checks) : renderChecks(checks));
  return checks.some((check) => check.status === 'fail') ? ExitCode.failed : ExitCode.ok;
}
