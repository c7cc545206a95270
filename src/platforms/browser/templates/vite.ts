/**
 * The init module of a Vite app, beside its client entry. Vite inlines `import.meta.env.VITE_*`
 * when it builds, so the key and URL come from VITE_EZ_PIXEL_* (.env or the build's environment)
 * with the values written here as fallback; nothing else reaches the page. The release is what
 * the build's source maps are uploaded as (`ez-pixel sourcemaps upload --release`), so serve maps
 * the page's events with them: it is given at build time too, or left out (listen maps from the
 * local build output without one). A Vue app gets ez-pixel.vue-errors beside it (vue/template.ts).
 */
import { posix } from 'node:path';
import type { EnvVariables } from '../../../plan/dotenv.js';
import type { Project } from '../../../project.js';
import type { InitSettings, InitWiring } from '../../../templates/index.js';
import { singleQuotedLiteral } from '../../../templates/settings.js';
import { entryToWire } from '../../../templates/index.js';
import { generatedHeader, jsMarkerComment } from '../../node/templates/node.js';
import { ownImportStyle, readEntrySource } from '../../node/templates/import-style.js';
import { dependsOnVue, vueErrorsSource, vueModule } from '../vue/template.js';

/** The variables Vite exposes to the page: only VITE_-prefixed ones reach import.meta.env. */
export const VITE_RELEASE = 'VITE_EZ_PIXEL_RELEASE';
export const VITE_VARIABLES: EnvVariables = {
  key: 'VITE_EZ_PIXEL_PROJECT_KEY',
  url: 'VITE_EZ_PIXEL_INGEST_URL',
  release: VITE_RELEASE,
  // What `vite build` (mode production) loads, the file that wins first; the environment beats them all.
  buildFiles: ['.env.production.local', '.env.production', '.env.local', '.env'],
};
/** A text only this init holds: doctor knows from it that .env's VITE_EZ_PIXEL_* values win. */
export const VITE_ENV_READER = `import.meta.env.${VITE_VARIABLES.url}`;

/** `also`: more SDK names to import and the code after the init that uses them (a framework's error hook). */
export function viteInitSource(settings: InitSettings, also?: { names: string[]; lines: string[] }): string {
  return [
    generatedHeader,
    '// It starts error tracking in the page; the client entry imports it before anything else.',
    `import { ${['initPixel', ...(also?.names ?? [])].join(', ')} } from '@ez-pixel/browser';`,
    '',
    `// ${VITE_VARIABLES.key} and ${VITE_VARIABLES.url}, set when the app is built (.env or the environment),`,
    '// override these. The key is public by design: it lets a page send events, never read them.',
    // Single quotes, as create-vite's templates and their lint configs (antfu's style/quotes) write
    // strings; the project-style pass makes them double where the entry's imports are.
    `const fallbackProjectKey = ${singleQuotedLiteral(settings.projectKey)};`,
    `const fallbackIngestUrl = ${singleQuotedLiteral(settings.ingestUrl)};`,
    '',
    'initPixel({',
    `  projectKey: import.meta.env.${VITE_VARIABLES.key} || fallbackProjectKey,`,
    `  ingestUrl: ${VITE_ENV_READER} || fallbackIngestUrl,`,
    '  environment: import.meta.env.MODE,',
    `  // The release this build's source maps are uploaded as: ${VITE_RELEASE}=<r> vite build, then ez-pixel sourcemaps upload --release <r>.`,
    `  release: import.meta.env.${VITE_RELEASE},`,
    '});',
    ...(also ? ['', ...also.lines] : []),
    '',
  ].join('\n');
}

/** A .ts(x) entry gets a TypeScript init, named as the entry names its own imports (Vite resolves all three forms). */
function specifierExtension(project: Project, entry: string, typed: boolean): string {
  if (!typed) return '.js';
  const source = readEntrySource(project.root, entry);
  return (source === null ? null : ownImportStyle(source)) ?? '';
}

export function viteWiring(project: Project, settings: InitSettings): InitWiring {
  const entry = entryToWire(project);
  const typed = /\.(ts|tsx|mts)$/.test(entry);
  const initFile = posix.join(posix.dirname(entry), `ez-pixel.init.${typed ? 'ts' : 'js'}`);
  const specifier = `./ez-pixel.init${specifierExtension(project, entry, typed)}`;
  const entryLines = [`import '${specifier}'; ${jsMarkerComment}`];
  const vue = dependsOnVue(project.root) ? [{ path: vueModule({ initFile, specifier }).path, content: vueErrorsSource(typed) }] : [];
  return {
    files: [{ path: initFile, content: viteInitSource(settings) }, ...vue],
    importStatement: entryLines.join('\n'),
    marker: 'ez-pixel',
    entry,
    initFile,
    specifier,
    entryLines,
    requestErrors: [],
  };
}
