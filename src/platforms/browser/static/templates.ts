/**
 * What install writes into a static site: the SDK's IIFE as this CLI bundles it (byte for byte, so
 * doctor can tell it is this version by its hash), and the init, a separate small script. A
 * separate file rather than an inline <script> in each page: the key and URL are written once for
 * every page, a re-run rewrites only that file, and a Content-Security-Policy without
 * 'unsafe-inline' still runs it. A static site has no .env and no build step to read one, so the
 * values are the init's own (the key is public by design: it only lets a page send events).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS_DIR } from '../../../plan/dependency-plan.js';
import type { Project } from '../../../project.js';
import { stringLiteral } from '../../../templates/settings.js';
import type { InitSettings, InitWiring } from '../../../templates/index.js';
import { version } from '../../../version.js';
import { tagLines } from './page-tags.js';
import { readPage } from './page.js';
import { siteScripts, STATIC_ENTRY } from './site.js';

export const IIFE_ARTIFACT = `ez-pixel-browser-${version}.min.js`;

/** The bundled IIFE's text; a missing artifact (a CLI not built) is said by doctor and install through `readIife`'s null. */
export function readIife(): string | null {
  try {
    return readFileSync(join(ARTIFACTS_DIR, IIFE_ARTIFACT), 'utf8');
  } catch {
    return null;
  }
}

function staticInit(settings: InitSettings, sdk: string): string {
  return [
    "// ez-pixel: reports this site's uncaught errors and unhandled rejections. Every page loads it",
    `// right after ${sdk}, before its own scripts. A static site has no .env: the key and URL are`,
    '// these (ez-pixel install rewrites them). The key is public by design: it only lets a page send events.',
    '(function () {',
    `  var fallbackProjectKey = ${stringLiteral(settings.projectKey)};`,
    `  var fallbackIngestUrl = ${stringLiteral(settings.ingestUrl)};`,
    '  if (window.ezPixel) window.ezPixel.initPixel({ projectKey: fallbackProjectKey, ingestUrl: fallbackIngestUrl });',
    '})();',
    '',
  ].join('\n');
}

export function staticWiring(project: Project, settings: InitSettings): InitWiring {
  const scripts = siteScripts(project.root);
  const entry = project.entry ?? STATIC_ENTRY;
  const lines = tagLines(entry, scripts, readPage(''), 0) as { lines: string[] };
  return {
    files: [
      { path: scripts.sdk, content: readIife() ?? '', bundled: true },
      { path: scripts.init, content: staticInit(settings, scripts.sdk) },
    ],
    importStatement: lines.lines.join('\n'),
    marker: 'ez-pixel',
    entry,
    initFile: scripts.init,
    specifier: scripts.init,
    entryLines: lines.lines,
    requestErrors: [],
  };
}
