/**
 * `next start` serves the last `next build`. A build made before install has no
 * instrumentation.js, so the app runs without the init and reports nothing while every other
 * check is green (found on sufiyaan14/Job-Concurrency, built before ez-pixel was installed). Only
 * Next's default distDir, .next/, is read; no build at all is left to `next start` to complain of.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fail, pass, type Check } from '../../../doctor/check.js';
import type { DoctorContext } from '../../../doctor/context.js';
import { nodeBuildCommand, nodeStartCommand } from '../package-managers.js';

export function checkNextBuild(context: DoctorContext): Check | null {
  const { project, wiring } = context;
  if (project.runtime !== 'node' || project.framework !== 'next') return null;
  const dist = join(project.root, '.next');
  if (!existsSync(join(dist, 'BUILD_ID'))) return null;
  if (existsSync(join(dist, 'server', 'instrumentation.js'))) return pass('build', `the .next build holds ${wiring.entry ?? 'instrumentation'}`);
  return fail(
    'build',
    `the .next build was made before ${wiring.entry ?? 'instrumentation'} existed: next start serves it without the init, so nothing is reported`,
    `rebuild, then restart: ${nodeBuildCommand(project.packageManager)} && ${nodeStartCommand(project.packageManager)}`,
  );
}
