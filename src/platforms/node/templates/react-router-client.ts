/**
 * React Router's and Remix's browser side: app/ez-pixel.init.client.(ts|js), imported first by
 * app/entry.client, starts @ez-pixel/browser (the page's uncaught errors and rejections). Built by
 * Vite, the key and URL come from VITE_EZ_PIXEL_* at build time, else the values written here;
 * Remix's classic compiler gives the page no environment, so its init has the written values only.
 * For React Router it also exports the handler HydratedRouter's onError calls: render errors in a
 * route component are caught by its error boundary, so no error listener sees them; onError
 * reports them, once each. The loader and action errors it also hands over came from the server,
 * whose handleError reported them already. RemixBrowser has no such prop.
 */
import type { InitSettings } from '../../../templates/index.js';
import { singleQuotedLiteral } from '../../../templates/settings.js';
import { viteInitSource } from '../../../platforms/browser/templates/vite.js';
import { generatedHeader, jsMarkerComment } from './node.js';

export const CLIENT_HANDLER = 'reportRouterError';

export function clientInitFile(typed: boolean): string {
  return `app/ez-pixel.init.client.${typed ? 'ts' : 'js'}`;
}

/** The entry's first line: it imports the handler when the root component takes onError, else only loads the init. */
export function clientImportLine(withHandler: boolean): string {
  return withHandler ? `import { ${CLIENT_HANDLER} } from './ez-pixel.init.client'; ${jsMarkerComment}` : `import './ez-pixel.init.client'; ${jsMarkerComment}`;
}

/** Inserted right after `<HydratedRouter`; the comment lets uninstall find it again. `prop`: onError, or unstable_onError before 7.9. */
export function routerProp(prop: string): string {
  return ` ${prop}={${CLIENT_HANDLER}} /* ez-pixel */`;
}

export interface ClientInitShape {
  typed: boolean;
  /** Export the handler for the root component's onError. */
  handler: boolean;
  /** Vite builds it (import.meta.env exists). */
  vite: boolean;
}

export function routerClientInitSource(settings: InitSettings, shape: ClientInitShape): string {
  const also = shape.handler ? { names: ['reportPixel'], lines: handlerLines(shape.typed) } : undefined;
  return shape.vite ? viteInitSource(settings, also) : writtenInitSource(settings);
}

function handlerLines(typed: boolean): string[] {
  const signature = typed ? '(error: unknown, info?: { errorInfo?: unknown })' : '(error, info)';
  return [
    "// HydratedRouter's onError: a route component's render error (the error boundary catches it, so",
    '// no error listener sees it) comes with errorInfo. Loader and action errors came from the server,',
    "// whose handleError (app/entry.server) reported them already.",
    `export function ${CLIENT_HANDLER}${signature} {`,
    "  if (info?.errorInfo) reportPixel('render failed', { error });",
    '}',
  ];
}

/** Remix's classic compiler: no import.meta.env, no variable reaches the page; `ez-pixel install --ingest-url` rewrites these. */
function writtenInitSource(settings: InitSettings): string {
  return [
    generatedHeader,
    '// It starts error tracking in the page; the client entry imports it before anything else.',
    "import { initPixel } from '@ez-pixel/browser';",
    '',
    "// Remix's classic compiler passes the page no environment variables: these are the values it",
    '// sends with (run ez-pixel install --ingest-url … again to change them). The key is public by',
    '// design: it lets a page send events, never read them.',
    `const fallbackProjectKey = ${singleQuotedLiteral(settings.projectKey)};`,
    `const fallbackIngestUrl = ${singleQuotedLiteral(settings.ingestUrl)};`,
    '',
    'initPixel({ projectKey: fallbackProjectKey, ingestUrl: fallbackIngestUrl });',
    '',
  ].join('\n');
}
