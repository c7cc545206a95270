/**
 * A plain static site: index.html at the root, pages that run JavaScript, and no bundler (a
 * package.json may be there, for `serve` or `http-server`, but nothing builds the pages). Nothing is
 * installed with a package manager: the SDK is a file of the site, so the project's package
 * manager is `none`, and its entry and "manifest" are its first page that runs JavaScript.
 */
import type { DetectOptions, ProjectOutcome } from '../../../detectors/detection.js';
import { givenEvidence } from '../../../detectors/given.js';
import { asObject, ProjectFiles } from '../../../detectors/project-files.js';
import type { Evidence } from '../../../project.js';
import { browserAppReason, browserTool } from '../browser-app.js';
import { readPage } from './page.js';
import { sitePages, STATIC_ENTRY } from './site.js';

/** Tools that make the pages from sources (a bundler, a site generator): their output, not index.html, is what is served. */
const siteBuilders = ['webpack', 'webpack-cli', 'rollup', 'esbuild', 'parcel-bundler', 'browserify', 'gulp', 'grunt', 'snowpack', '@11ty/eleventy'];

/** What builds the pages, named by package.json, or null: the pages are served as they are written. */
async function builtBy(files: ProjectFiles): Promise<string | null> {
  const pkg = await files.json('package.json');
  const names = ['dependencies', 'devDependencies'].flatMap((field) => Object.keys(asObject(pkg?.[field]) ?? {}));
  return (await browserTool(files)) ?? siteBuilders.find((name) => names.includes(name)) ?? null;
}

/**
 * The pages under `root` that run JavaScript, or null when it is not a static site: no index.html,
 * no page runs any, a package.json with a server of its own (a Node project) or a tool that builds the pages.
 */
export async function scriptedPages(files: ProjectFiles): Promise<string[] | null> {
  if (!(await files.isFile(STATIC_ENTRY))) return null;
  if ((await files.isFile('package.json')) && (!(await browserAppReason(files)) || (await builtBy(files)))) return null;
  const scripted: string[] = [];
  for (const page of await sitePages(files.root)) {
    const text = await files.text(page);
    if (text !== null && readPage(text).runsScript) scripted.push(page);
  }
  return scripted.length > 0 ? scripted : null;
}

export async function detectStaticSite(root: string, options: DetectOptions): Promise<ProjectOutcome> {
  const files = new ProjectFiles(root);
  const pages = (await scriptedPages(files)) ?? [];
  const served = (await files.isFile('package.json')) ? ', and package.json declares no bundler' : ', with no package.json';
  const listed = pages.length <= 4 ? pages.join(', ') : `${pages.slice(0, 3).join(', ')} and ${pages.length - 3} more`;
  // The page doctor checks first: index.html, unless it is a landing page that runs nothing (a set of demos in subfolders).
  const entry = pages[0] ?? STATIC_ENTRY;
  const evidence: Evidence[] = [
    options.runtime ? givenEvidence('runtime', '--runtime', options.runtime) : { about: 'runtime', says: `a static site: ${STATIC_ENTRY} at its root${served}` },
    options.framework ? givenEvidence('framework', '--framework', options.framework) : { about: 'framework', says: `${pages.length} page${pages.length === 1 ? '' : 's'} run${pages.length === 1 ? 's' : ''} JavaScript (${listed || 'none'})` },
    { about: 'packageManager', says: 'none: the SDK is copied into the site as a file' },
    { about: 'entry', says: `${entry}${entry === STATIC_ENTRY ? '' : ` (${STATIC_ENTRY} runs no JavaScript)`}, and every other page that runs JavaScript` },
  ];
  return {
    kind: 'project',
    project: {
      root,
      runtime: 'browser',
      framework: 'static',
      packageManager: 'none',
      workspaceRoot: null,
      moduleSystem: null,
      typescript: false,
      manifest: entry,
      interpreter: null,
      entry,
      evidence,
    },
  };
}
