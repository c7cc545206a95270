/** Where Node (or a bundler) finds the SDK: resolved from the entry's folder, as the app's own import would. */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Project } from '../../../project.js';
import type { InstalledSdk } from '../../platform.js';
import { nodeSdk } from '../sdk.js';

/** The installed version of the JS package `sdk` as the entry resolves it. */
export function installedJsPackage(sdk: string): (project: Project, entry: string) => Promise<InstalledSdk> {
  return async (project, entry) => {
    let resolved: string;
    try {
      resolved = createRequire(join(project.root, entry)).resolve(sdk);
    } catch {
      return { missing: `${sdk} cannot be resolved from ${dirname(entry)}/`, fix: 'npx ez-pixel install' };
    }
    return versionAbove(resolved, sdk);
  };
}

export const installedNodeSdk = installedJsPackage(nodeSdk.name);

async function versionAbove(resolved: string, sdk: string): Promise<InstalledSdk> {
  // Walk up from the resolved file to the package's own package.json.
  for (let dir = dirname(resolved); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === sdk) return { version: manifest.version ?? 'unknown' };
    } catch {
      // no package.json at this level
    }
  }
  return { version: 'unknown' };
}

