/** Where Node projects are: a package.json that is not a browser app's, and a workspace root's members (its front ends the browser's candidates). */
import { resolve } from 'node:path';
import type { BrowserApp, Candidate } from '../../detectors/candidates.js';
import { ProjectFiles } from '../../detectors/project-files.js';
import { browserAppReason } from '../browser/browser-app.js';
import { browserManifestIn } from '../browser/candidates.js';
import { workspaceMembers } from './detect/workspace.js';

export async function nodeManifestIn(files: ProjectFiles): Promise<string | null> {
  if (!(await files.isFile('package.json'))) return null;
  return (await browserAppReason(files)) ? null : 'package.json';
}

/** A workspace root with no app of its own stands for its members: Node packages and front ends alike. */
export async function nodeWorkspaceMembers(root: string): Promise<{ candidates: Candidate[]; browserApps: BrowserApp[] } | null> {
  const members = await workspaceMembers(new ProjectFiles(root));
  if (!members || members.length === 0) return null;
  const browserApps: BrowserApp[] = [];
  const candidates: Candidate[] = [];
  for (const member of members) {
    const files = new ProjectFiles(resolve(root, member));
    const shownBy = `${member}/package.json`;
    if ((await nodeManifestIn(files)) !== null) candidates.push({ root: files.root, runtime: 'node', shownBy });
    else if ((await browserManifestIn(files, browserApps)) !== null) candidates.push({ root: files.root, runtime: 'browser', shownBy });
  }
  return { candidates, browserApps };
}
