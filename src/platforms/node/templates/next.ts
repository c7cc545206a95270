/**
 * Next.js wiring: the init loads from `register()` in instrumentation.ts (Node.js runtime only, so
 * the edge bundle never pulls in the Node SDK) and `onRequestError` hands server errors to the SDK.
 * The import sits inside the NEXT_RUNTIME test because Next replaces that variable at build time and
 * drops the branch from the edge bundle.
 */
import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import { nextVersion, nextWiringKind } from '../detect/next-version.js';
import type { Project } from '../../../project.js';
import type { InitSettings, InitWiring } from '../../../templates/index.js';
import { generatedHeader, jsMarkerComment, nodeInitSource } from './node.js';

const blockBegin = '// ez-pixel: begin (error tracking; `ez-pixel uninstall` removes this block)';
const blockEnd = '// ez-pixel: end';

/** The instrumentation file to edit: the detected one, else where Next looks for it (src/ when the app lives there). */
export function instrumentationPath(project: Project): string {
  if (project.entry && /(^|\/)instrumentation\.(ts|mts|js|mjs)$/.test(project.entry)) return project.entry;
  const usesSrc = ['src/app', 'src/pages'].some((dir) => existsSync(join(project.root, dir)));
  const name = project.typescript ? 'instrumentation.ts' : 'instrumentation.js';
  return usesSrc ? `src/${name}` : name;
}

export function nextWiring(project: Project, settings: InitSettings): InitWiring {
  const entry = instrumentationPath(project);
  const typed = /\.m?ts$/.test(entry);
  const initFile = posix.join(posix.dirname(entry), typed ? 'ez-pixel.init.ts' : 'ez-pixel.init.mjs');
  // Next compiles instrumentation with bundler resolution: the extensionless specifier resolves .ts.
  const specifier = typed ? './ez-pixel.init' : './ez-pixel.init.mjs';
  const registerLine = `if (process.env.NEXT_RUNTIME === 'nodejs') await import('${specifier}'); ${jsMarkerComment}`;
  const onRequestError = [
    typed
      ? "export async function onRequestError(...args: Parameters<typeof import('@ez-pixel/node').captureRequestError>) {"
      : 'export async function onRequestError(...args) {',
    "  if (process.env.NEXT_RUNTIME === 'nodejs') {",
    "    const { captureRequestError } = await import('@ez-pixel/node');",
    '    await captureRequestError(...args);',
    '  }',
    '}',
  ];
  const register = ['export async function register() {', `  ${registerLine}`, '}'];
  const fullBlock = [blockBegin, ...register, '', ...onRequestError, blockEnd];
  const style = { initExtension: typed ? '.ts' : '.mjs', specifierExtension: '', statement: 'import', typed } as const;
  const version = nextVersion(project.root);
  const kind = nextWiringKind(version);
  const spans = { call: 'reportNextErrors', why: `Next.js ${version?.major}.${version?.minor} never calls onRequestError: request errors are read from its tracing spans and logs.` };
  return {
    files: [{ path: initFile, content: nodeInitSource(style, settings, { readsDotenv: false, ...(kind === 'instrumentation-flag' ? { also: spans } : {}) }) }],
    importStatement: fullBlock.join('\n'),
    marker: 'ez-pixel',
    entry,
    initFile,
    specifier,
    entryLines: [],
    requestErrors: [],
    next: {
      registerLine,
      fullBlock,
      registerBlock: [blockBegin, ...register, blockEnd],
      onRequestErrorBlock: [blockBegin, ...onRequestError, blockEnd],
      created: [generatedHeader, ...fullBlock, ''].join('\n'),
      version,
      kind,
      configLine: `experimental: { instrumentationHook: true }, ${jsMarkerComment}`,
      flagLine: `instrumentationHook: true, ${jsMarkerComment}`,
    },
  };
}
