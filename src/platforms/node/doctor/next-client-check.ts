/**
 * The built client of a Next.js app: `next build` must have kept the browser init in the chunks
 * under .next/static, never the Node SDK, and productionBrowserSourceMaps lets listen and serve
 * show the original file and line. No build yet: nothing to check, `checkNextBuild` says the same.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Check } from '../../../doctor/check.js';
import type { DoctorContext } from '../../../doctor/context.js';
import { nodeBuildCommand } from '../package-managers.js';
import { checkClientChunks } from './client-chunks.js';

export async function checkNextClientBuild(context: DoctorContext): Promise<Check[]> {
  const { root, packageManager } = context.project;
  if (!existsSync(join(root, '.next', 'BUILD_ID'))) return [];
  return checkClientChunks(root, {
    dir: '.next/static',
    nodeOnlyFrom: 'instrumentation and ez-pixel.init',
    mapsSwitch: 'productionBrowserSourceMaps: true in next.config',
    rebuild: `rebuild, then restart: ${nodeBuildCommand(packageManager)}`,
  });
}
