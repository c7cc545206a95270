/**
 * SvelteKit's server wiring: src/hooks.server.ts loads the Node init first and its handleError hands
 * SvelteKit's input to captureSvelteKitError. The init is named *.server.ts, which SvelteKit refuses
 * to bundle for the browser, so neither the Node SDK nor the server init can reach a client chunk.
 */
import { posix } from 'node:path';
import type { Project } from '../../../project.js';
import type { InitSettings, InitWiring } from '../../../templates/index.js';
import { entryToWire } from '../../../templates/index.js';
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
