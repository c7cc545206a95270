/**
 * React Router framework mode: the init goes into app/entry.server (only the server bundle holds
 * it; the `.server` in the init's name makes React Router refuse the build if the browser's ever
 * imported it), and the entry's `handleError` export reports what loaders, actions and rendering
 * throw, with the request's method and path, skipping requests the client aborted.
 */
import { posix } from 'node:path';
import type { Project } from '../../../project.js';
import type { InitSettings, InitWiring } from '../../../templates/index.js';
import { entryToWire } from '../../../templates/index.js';
import { jsMarkerComment, nodeInitSource } from './node.js';

const blockBegin = '// ez-pixel: begin (error tracking; `ez-pixel uninstall` removes this block)';
const blockEnd = '// ez-pixel: end';

/** The report, for `error` thrown while serving `request` (expressions in the user's handleError). */
export function reportRequestError(error: string, request: string): string {
  const field = error === 'error' ? 'error' : `error: ${error}`;
  return `reportPixel('request failed', { ${field}, context: { request: { method: ${request}.method, path: new URL(${request}.url).pathname } } });`;
}

/** The one line that goes first in the app's own handleError(error, { request }). */
export function handleErrorLine(error: string, request: string): string {
  return `if (!${request}.signal.aborted) ${reportRequestError(error, request)} ${jsMarkerComment}`;
}

export function reactRouterWiring(project: Project, settings: InitSettings): InitWiring {
  const entry = entryToWire(project);
  const typed = /\.tsx?$/.test(entry);
  const initFile = posix.join(posix.dirname(entry), typed ? 'ez-pixel.init.server.ts' : 'ez-pixel.init.server.mjs');
  // Vite resolves the extensionless specifier to the .ts file, as the app's own imports do.
  const specifier = typed ? './ez-pixel.init.server' : './ez-pixel.init.server.mjs';
  const entryLines = [`import '${specifier}'; ${jsMarkerComment}`, `import { reportPixel } from '@ez-pixel/node'; ${jsMarkerComment}`];
  const handleErrorBlock = [
    blockBegin,
    `export function handleError(${typed ? 'error: unknown, { request }: { request: Request }' : 'error, { request }'}) {`,
    '  if (request.signal.aborted) return; // the client went away: nothing failed',
    `  ${reportRequestError('error', 'request')}`,
    '}',
    blockEnd,
  ];
  const style = { initExtension: typed ? '.ts' : '.mjs', specifierExtension: '', statement: 'import', typed } as const;
  return {
    files: [{ path: initFile, content: nodeInitSource(style, settings) }],
    importStatement: [...entryLines, '', ...handleErrorBlock].join('\n'),
    marker: 'ez-pixel',
    entry,
    initFile,
    specifier,
    entryLines,
    requestErrors: [],
    reactRouter: { handleErrorBlock },
  };
}
