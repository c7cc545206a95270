/**
 * SvelteKit's server wiring: src/hooks.server.ts loads the Node init first and its handleError hands
 * SvelteKit's input to captureSvelteKitError. The init is named *.server.ts, which SvelteKit refuses
 * to bundle for the browser, so neither the Node SDK nor the server init can reach a client chunk.
 */
import { posix } from 'node:path';
import type { Project } from '../../../project.js';
import type { InitSettings, InitWiring } from '../../../templates/index.js';
import { entryToWire } from '../../../templates/index.js';
import { stringLiteral } from '../../../templates/settings.js';
import { generatedHeader, jsMarkerComment, nodeInitSource } from './node.js';

/** Where the server init reads EZ_PIXEL_*; the doctor probe stands node:process in for it outside a build. */
export const SERVER_ENV_MODULE = '$env/dynamic/private';

const hooksBlockBegin = '// ez-pixel: begin (error tracking; `ez-pixel uninstall` removes this block)';
const hooksBlockEnd = '// ez-pixel: end';

/** One SvelteKit hooks file's pieces (server or client): what goes in, what a merge adds. */
export interface SvelteKitHooksPieces {
  /** The specifier whose import shows the file is wired already. */
  loads: string;
  /** Inserted before the file's first statement. */
  topLines: string[];
  /** Appended when the file has no handleError of its own. */
  handleErrorBlock: string[];
  /** The function the user's own handleError calls first, with its input: `name(input); // ez-pixel`. */
  reportCall: string;
  /** The whole file when there is none ('\n' line endings). */
  created: string;
}

/** handleError typed for the file's language: an annotation in TypeScript, JSDoc in JavaScript. */
function hooksPieces(typed: boolean, loads: string, topLines: string[], hookType: string, reportCall: string): SvelteKitHooksPieces {
  const type = `import('@sveltejs/kit').${hookType}`;
  const handleErrorBlock = [
    hooksBlockBegin,
    ...(typed ? [`export const handleError: ${type} = (input) => ${reportCall}(input);`] : [`/** @type {${type}} */`, `export const handleError = (input) => ${reportCall}(input);`]),
    hooksBlockEnd,
  ];
  return { loads, topLines, handleErrorBlock, reportCall, created: [generatedHeader, ...topLines, '', ...handleErrorBlock, ''].join('\n') };
}

export function svelteKitWiring(project: Project, settings: InitSettings): InitWiring {
  const entry = entryToWire(project);
  const typed = /\.m?ts$/.test(entry);
  // Vite resolves the extensionless specifier to the .ts file; a JavaScript app names the .js one.
  const initFile = posix.join(posix.dirname(entry), typed ? 'ez-pixel.init.server.ts' : 'ez-pixel.init.server.js');
  const specifier = typed ? './ez-pixel.init.server' : './ez-pixel.init.server.js';
  const topLines = [`import '${specifier}'; ${jsMarkerComment}`, `import { captureSvelteKitError } from '@ez-pixel/node'; ${jsMarkerComment}`];
  const server = hooksPieces(typed, specifier, topLines, 'HandleServerError', 'captureSvelteKitError');
  const style = { initExtension: typed ? '.ts' : '.mjs', specifierExtension: '', statement: 'import', typed } as const;
  return {
    // SvelteKit's own env: .env in dev, the process's environment in the build; no @types/node for
    // `npm run check` (svelte-check) to miss, as node:fs and node:process would need.
    files: [{ path: initFile, content: nodeInitSource(style, settings, { readsDotenv: false, envModule: SERVER_ENV_MODULE }) }],
    importStatement: [...topLines, '', ...server.handleErrorBlock].join('\n'),
    marker: 'ez-pixel',
    entry,
    initFile,
    specifier,
    entryLines: topLines,
    requestErrors: [],
    sveltekit: { server },
  };
}

/** The browser init, imported by hooks.client: an extensionless specifier in TypeScript, as on the server. */
export function svelteKitClientPieces(typed: boolean): SvelteKitHooksPieces {
  const specifier = typed ? './ez-pixel.client' : './ez-pixel.client.js';
  return hooksPieces(typed, specifier, [`import { reportSvelteKitClientError } from '${specifier}'; ${jsMarkerComment}`], 'HandleClientError', 'reportSvelteKitClientError');
}

/**
 * The browser init. `$env/dynamic/public` holds PUBLIC_* as the server has them when the page is
 * served (an unset one is undefined, where `$env/static/public` would fail the build); the
 * written values are the fallback.
 */
export function svelteKitClientInitSource(settings: InitSettings, typed: boolean): string {
  const input = typed ? ': { error: unknown; event?: { url?: URL; route?: { id: string | null } }; status?: number }' : '';
  return [
    generatedHeader,
    '// It starts error tracking in the browser; the server side is ez-pixel.init.server.',
    "import { env } from '$env/dynamic/public';",
    "import { initPixel, reportPixel } from '@ez-pixel/browser';",
    '',
    '// PUBLIC_EZ_PIXEL_PROJECT_KEY and PUBLIC_EZ_PIXEL_INGEST_URL, set where the app is served, override these.',
    `const fallbackProjectKey = ${stringLiteral(settings.projectKey)};`,
    `const fallbackIngestUrl = ${stringLiteral(settings.ingestUrl)};`,
    '',
    'initPixel({',
    '  projectKey: env.PUBLIC_EZ_PIXEL_PROJECT_KEY || fallbackProjectKey,',
    '  ingestUrl: env.PUBLIC_EZ_PIXEL_INGEST_URL || fallbackIngestUrl,',
    '});',
    '',
    "// What a load function or a render threw while navigating in the browser (hooks.client's handleError).",
    ...(typed ? [] : ["/** @param {{ error: unknown, event?: { url?: URL, route?: { id: string | null } }, status?: number }} input */"]),
    `export function reportSvelteKitClientError({ error, event, status }${input})${typed ? ': void' : ''} {`,
    "  if (typeof status === 'number' && status < 500) return; // a URL with no route (404): nothing failed",
    "  reportPixel('navigation failed', { error, context: { sveltekit: { route: event?.route?.id ?? null, path: event?.url?.pathname } } });",
    '}',
    '',
  ].join('\n');
}
