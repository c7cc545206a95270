/** Where Node projects are: a package.json that is not a browser app's, and a workspace root's members. */
import { resolve } from 'node:path';
import type { BrowserApp, Candidate } from '../../detectors/candidates.js';
import { ProjectFiles } from '../../detectors/project-files.js';
import { browserAppReason } from '../browser/browser-app.js';
import { workspaceMembers } from './detect/workspace.js';

export async function nodeManifestIn(files: ProjectFiles, browserApps: BrowserApp[]): Promise<string | null> {
  if (!(await files.isFile('package.json'))) return null;
  const browser = await browserAppReason(files);
  if (!browser) return 'package.json';
  browserApps.push({ root: files.root, why: browser });
  return null;
}

/** A workspace root with no app of its own stands for its members (browser apps among them left out). */
export async function nodeWorkspaceMembers(root: string): Promise<{ candidates: Candidate[]; browserApps: BrowserApp[] } | null> {
  const members = await workspaceMembers(new ProjectFiles(root));
  if (!members || members.length === 0) return null;
  const browserApps: BrowserApp[] = [];
  const candidates: Candidate[] = [];
  for (const member of members) {
    const memberRoot = resolve(root, member);
    const why = await browserAppReason(new ProjectFiles(memberRoot));
    if (why) browserApps.push({ root: memberRoot, why });
    else candidates.push({ root: memberRoot, runtime: 'node', shownBy: `${member}/package.json` });
  }
  return { candidates, browserApps };
}
