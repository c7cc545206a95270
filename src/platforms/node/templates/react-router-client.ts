/**
 * React Router's browser side: app/ez-pixel.init.client.(ts|js), imported first by
 * app/entry.client, starts @ez-pixel/browser (the page's uncaught errors and rejections, with the
 * key and URL from VITE_EZ_PIXEL_* at build time, else the values written here) and exports the
 * handler HydratedRouter's onError calls. Render errors in a route component are caught by its
 * error boundary, so no error listener sees them: onError reports them, once each. The loader and
 * action errors it also hands over came from the server, whose handleError reported them already.
 */
import type { InitSettings } from '../../../templates/index.js';
import { viteInitSource } from '../../../platforms/browser/templates/vite.js';
import { jsMarkerComment } from './node.js';

export const CLIENT_HANDLER = 'reportRouterError';

export function clientInitFile(typed: boolean): string {
  return `app/ez-pixel.init.client.${typed ? 'ts' : 'js'}`;
}

export function clientImportLine(): string {
  return `import { ${CLIENT_HANDLER} } from './ez-pixel.init.client'; ${jsMarkerComment}`;
}

/** Inserted right after `<HydratedRouter`; the comment lets uninstall find it again. `prop`: onError, or unstable_onError before 7.9. */
export function routerProp(prop: string): string {
  return ` ${prop}={${CLIENT_HANDLER}} /* ez-pixel */`;
}

export function reactRouterClientInitSource(settings: InitSettings, typed: boolean): string {
  const signature = typed ? '(error: unknown, info?: { errorInfo?: unknown })' : '(error, info)';
  return viteInitSource(settings, {
    names: ['reportPixel'],
    lines: [
      "// HydratedRouter's onError: a route component's render error (the error boundary catches it, so",
      '// no error listener sees it) comes with errorInfo. Loader and action errors came from the server,',
      "// whose handleError (app/entry.server) reported them already.",
      `export function ${CLIENT_HANDLER}${signature} {`,
      "  if (info?.errorInfo) reportPixel('render failed', { error });",
      '}',
    ],
  });
}
