/**
 * A plain static site within the browser platform (framework `static`): what the browser's
 * Platform value does for a project of this framework, member by member, so index.ts only picks
 * these or Vite's. See site.ts for what a static site is and which pages are wired.
 */
import { join } from 'node:path';
import { fail, pass } from '../../../doctor/check.js';
import type { PackageManagerRow } from '../../../package-managers/table.js';
import { readText } from '../../../read-text.js';
import type { Platform } from '../../platform.js';
import type { DetectOptions } from '../../../detectors/detection.js';
import { asObject, ProjectFiles } from '../../../detectors/project-files.js';
import { detectStaticSite, scriptedPages } from './detect.js';
import { pageTagOrder } from './page-tags.js';
import { checkStaticPages, checkStaticRecord, installedStaticSdk } from './doctor.js';
import { readPage } from './page.js';
import { staticProbeRun } from './probe.js';
import { siteScripts } from './site.js';
import { IIFE_ARTIFACT, readIife, staticWiring } from './templates.js';
import { addStaticInit, removeStaticTags, staticLoadOrder, wireStaticSite } from './wiring.js';

export { detectStaticSite, removeStaticTags };

/** A static site installs nothing with a package manager: this row has no command and touches nothing. */
export const noPackageManager: PackageManagerRow = {
  name: 'none', runtime: 'browser',
  add: null, workspaceRootFlag: null, remove: null,
  localSpec: () => '',
  touches: [], creates: [],
  env: {},
  runPython: null,
};

/** The browser Platform's members that differ between a static site and a Vite app (index.ts picks one set per project). */
export type AppMembers = Required<
  Pick<Platform, 'selfContained' | 'installExtras' | 'initWiring' | 'addInit' | 'wireEntry' | 'removeInit' | 'loadOrder' | 'startCommand' | 'installedSdk' | 'checkEntryRuns' | 'probeRun' | 'moreChecks'>
>;

/** Detection's choice: `--framework static`, or (no framework given) a folder scriptedPages calls a static site. */
export async function isStaticSiteAt(root: string, options: DetectOptions): Promise<boolean> {
  if (options.framework) return options.framework === 'static';
  return (await scriptedPages(new ProjectFiles(root))) !== null;
}

/** A page declares the SDK by loading it (doctor's manifest check on index.html); null for a manifest that is not a page. */
export function staticDeclaresSdk(path: string, text: string): boolean | null {
  return path.endsWith('.html') ? pageTagOrder(text).kind !== 'missing' : null;
}

export const staticSite: AppMembers = {
  selfContained: (project) =>
    `a static site has no .env and no build to read one: the key and URL are written in ${siteScripts(project.root).init}, which every page loads (the key is public by design)`,
  // Without the bundled IIFE (a CLI run from a checkout not built) there is nothing to copy in.
  installExtras: async () =>
    readIife() === null
      ? { kind: 'needs-flag', message: `the bundled SDK artifacts/${IIFE_ARTIFACT} is missing, so there is no script to copy into the site`, fix: 'npm run build (in the ez-pixel checkout), then install again' }
      : { kind: 'extras', edits: [], notes: [], manifests: [] },
  initWiring: staticWiring,
  addInit: (project, entryPath, source) => addStaticInit(project, entryPath, source),
  wireEntry: wireStaticSite,
  removeInit: (_project, source) => removeStaticTags(source),
  loadOrder: staticLoadOrder,
  startCommand: async (project) =>
    asObject((await new ProjectFiles(project.root).json('package.json'))?.scripts)?.start
      ? 'npm start (package.json serves the site)'
      : 'serve the site folder as you do now (npx serve ., python3 -m http.server…)',
  installedSdk: (project) => installedStaticSdk(project),
  // What "runs" on a static site is each page: the pages check says which ones load the SDK.
  checkEntryRuns: async ({ project, wiring }) => {
    const source = await readText(join(project.root, wiring.entry));
    if (source === null) return fail('entry-runs', `${wiring.entry} does not exist`, 'npx ez-pixel install');
    return readPage(source).runsScript
      ? pass('entry-runs', `${wiring.entry} runs JavaScript, and the pages check covers the others`)
      : fail('entry-runs', `${wiring.entry} runs no JavaScript`, 'npx ez-pixel install --cwd <the folder the site is served from>');
  },
  probeRun: staticProbeRun,
  moreChecks: async (context) => {
    const record = await checkStaticRecord(context);
    return [await checkStaticPages(context), ...(record ? [record] : [])];
  },
};
