/** Where Node finds the SDK: resolved from the entry's folder, as the app's own require would. */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Project } from '../../../project.js';
import type { InstalledSdk } from '../../platform.js';
import { nodeSdk } from '../sdk.js';

const NODE_SDK = nodeSdk.name;

export async function installedNodeSdk(project: Project, entry: string): Promise<InstalledSdk> {
  let resolved: string;
  try {
    resolved = createRequire(join(project.root, entry)).resolve(NODE_SDK);
  } catch {
    return { missing: `${NODE_SDK} cannot be resolved from ${dirname(entry)}/`, fix: 'npx ez-pixel install' };
  }
  // Walk up from the resolved file to the package's own package.json.
  for (let dir = dirname(resolved); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === NODE_SDK) return { version: manifest.version ?? 'unknown' };
    } catch {
      // no package.json at this level
    }
  }
  return { version: 'unknown' };
}

