/**
 * React Router framework mode and Remix v2: the init goes into app/entry.server (only the server
 * bundle holds it; the `.server` in the init's name makes either refuse the build if the browser's
 * ever imported it; Remix passes handleError the same (error, { request, params, context })), and the entry's `handleError` export hands what loaders, actions and rendering
 * throw to the SDK's captureRouterError (which reports with the method and path, and skips 404s,
 * Responses thrown on purpose and aborted requests).
 */
import { posix } from 'node:path';
import type { Project } from '../../../project.js';
import type { InitSettings, InitWiring } from '../../../templates/index.js';
import { entryToWire } from '../../../templates/index.js';
import { jsMarkerComment, nodeInitSource } from './node.js';

const blockBegin = '// ez-pixel: begin (error tracking; `ez-pixel uninstall` removes this block)';
const blockEnd = '// ez-pixel: end';

/** The one line that goes first in the app's own handleError: `args` is its second parameter, as an expression. */
export function handleErrorLine(error: string, args: string): string {
  return `captureRouterError(${error}, ${args}); ${jsMarkerComment}`;
}

export function reactRouterWiring(project: Project, settings: InitSettings): InitWiring {
  const entry = entryToWire(project);
  const typed = /\.tsx?$/.test(entry);
  const initFile = posix.join(posix.dirname(entry), typed ? 'ez-pixel.init.server.ts' : 'ez-pixel.init.server.mjs');
  // Vite resolves the extensionless specifier to the .ts file, as the app's own imports do.
  const specifier = typed ? './ez-pixel.init.server' : './ez-pixel.init.server.mjs';
  const entryLines = [`import '${specifier}'; ${jsMarkerComment}`, `import { captureRouterError } from '@ez-pixel/node'; ${jsMarkerComment}`];
  const handleErrorBlock = [
    blockBegin,
    `export function handleError(${typed ? 'error: unknown, args: { request: Request }' : 'error, args'}) {`,
    '  captureRouterError(error, args);',
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
