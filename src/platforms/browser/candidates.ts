/**
 * Where browser apps are: a static site's index.html (static/detect.ts), or a package.json that
 * browser-app.ts calls a browser app, which one of the browser frameworks can wire. One it cannot (Create React App, Angular, Vue CLI…) is left out,
 * with the reason, so the user sees why their front end was not offered.
 */
import type { BrowserApp } from '../../detectors/candidates.js';
import type { ProjectFiles } from '../../detectors/project-files.js';
import { readNodeFacts } from '../node/detect/facts.js';
import { browserAppReason } from './browser-app.js';
import { browserFrameworks } from './frameworks/index.js';
import { scriptedPages } from './static/detect.js';
import { STATIC_ENTRY } from './static/site.js';

export async function browserManifestIn(files: ProjectFiles, browserApps: BrowserApp[]): Promise<string | null> {
  // A plain static site needs no package.json: its index.html shows it.
  if (await scriptedPages(files)) return STATIC_ENTRY;
  const why = await browserAppReason(files);
  if (!why) return null;
  const facts = await readNodeFacts(files);
  for (const framework of browserFrameworks) if (await framework.detect(facts)) return 'package.json';
  browserApps.push({ root: files.root, why: `${why}, and it is not one ez-pixel wires yet (a Vite app)` });
  return null;
}
