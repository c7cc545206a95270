/**
 * Nuxt's server side, all of it files of ours (nuxt.config and the app's own files are never edited):
 * - server/ez-pixel.init.ts, the Node init, as for any Node app;
 * - server/plugins/ez-pixel.ts, the entry: Nitro runs it at start-up, it loads the init first and
 *   hands Nitro's error hook (route handlers, middleware, server-side rendering) to the SDK.
 */
import { posix } from 'node:path';
import type { Project } from '../../../project.js';
import type { InitSettings, InitWiring } from '../../../templates/index.js';
import { nuxtServerPlugin } from '../frameworks/nuxt.js';
import { generatedHeader, nodeInitSource, type NodeInitStyle } from './node.js';

export function nuxtWiring(project: Project, settings: InitSettings): InitWiring {
  const entry = project.entry ?? nuxtServerPlugin(project.root, project.typescript);
  const typed = entry.endsWith('.ts');
  const serverDir = posix.dirname(posix.dirname(entry));
  const initFile = posix.join(serverDir, typed ? 'ez-pixel.init.ts' : 'ez-pixel.init.mjs');
  // Nitro resolves an extensionless specifier to the .ts file.
  const specifier = typed ? '../ez-pixel.init' : '../ez-pixel.init.mjs';
  const style: NodeInitStyle = typed
    ? { initExtension: '.ts', specifierExtension: '', statement: 'import', typed: true }
    : { initExtension: '.mjs', specifierExtension: '.mjs', statement: 'import', typed: false };
  // The init's value is used: Nitro's bundler drops a module only imported for its side effects.
  const plugin = [
    `import { ezPixelStarted } from '${specifier}';`,
    "import { nitroErrorHook } from '@ez-pixel/node';",
    '',
    'export default defineNitroPlugin((nitroApp) => {',
    "  if (ezPixelStarted) nitroApp.hooks.hook('error', nitroErrorHook());",
    '});',
  ];
  const created = [
    generatedHeader,
    '// Nitro runs its server plugins at start-up: this one starts error tracking (the init, first)',
    '// and reports what requests fail with, from route handlers to server-side rendering.',
    ...plugin,
    '',
  ].join('\n');
  return {
    files: [{ path: initFile, content: nodeInitSource(style, settings, { exportsStarted: true }) }],
    importStatement: plugin.join('\n'),
    marker: 'ez-pixel',
    entry,
    initFile,
    specifier,
    entryLines: [],
    requestErrors: [],
    nuxt: { created },
  };
}
