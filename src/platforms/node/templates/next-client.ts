/**
 * Next.js's browser side: the client init module (@ez-pixel/browser) and the lines that load it.
 * Next 15.3+ runs `instrumentation-client` in the browser before the app hydrates; older apps
 * render a client component from the root layout (app router) or import the init in pages/_app.
 * Next inlines NEXT_PUBLIC_* into the client bundle at build time; the written values are the fallback.
 */
import type { InitSettings } from '../../../templates/index.js';
import { stringLiteral } from '../../../templates/settings.js';
import type { NextVersion } from '../detect/next-version.js';
import { generatedHeader, jsMarkerComment } from './node.js';

/** How the client init is loaded: by instrumentation-client (15.3+), else from the root layout and/or pages/_app. */
export type NextClientHook = 'instrumentation-client' | 'layout-and-app';

export function nextClientHook(version: NextVersion | null): NextClientHook {
  if (version === null || version.major > 15 || (version.major === 15 && version.minor >= 3)) return 'instrumentation-client';
  return 'layout-and-app';
}

/** The component the root layout renders (before 15.3), and the JSX marker of its line. */
export const CLIENT_COMPONENT = 'EzPixelClient';
export const jsxMarkerComment = '{/* ez-pixel */}';

/**
 * The init module. Imported by pages/_app or rendered as a client component (the app router
 * before 15.3), it is evaluated on the server too while pages render: the init runs only where
 * there is a window.
 */
export function nextClientInitSource(settings: InitSettings, options: { component: boolean; typed: boolean }): string {
  return [
    ...(options.component ? ["'use client';", ''] : []),
    generatedHeader,
    '// It starts error tracking in the browser; the server side is ez-pixel.init.',
    "import { initPixel } from '@ez-pixel/browser';",
    '',
    '// NEXT_PUBLIC_EZ_PIXEL_PROJECT_KEY and NEXT_PUBLIC_EZ_PIXEL_INGEST_URL, set when the app is built, override these.',
    `const fallbackProjectKey = ${stringLiteral(settings.projectKey)};`,
    `const fallbackIngestUrl = ${stringLiteral(settings.ingestUrl)};`,
    '',
    "if (typeof window !== 'undefined') {",
    '  initPixel({',
    '    projectKey: process.env.NEXT_PUBLIC_EZ_PIXEL_PROJECT_KEY || fallbackProjectKey,',
    '    ingestUrl: process.env.NEXT_PUBLIC_EZ_PIXEL_INGEST_URL || fallbackIngestUrl,',
    '  });',
    '}',
    ...(options.component ? ['', `export default function ${CLIENT_COMPONENT}()${options.typed ? ': null' : ''} {`, '  return null;', '}'] : []),
    '',
  ].join('\n');
}

/** pages/_app as install creates it when the app has none: Next's default App, plus our import. */
export function createdAppSource(importLine: string, typed: boolean): string {
  return [
    generatedHeader,
    ...(typed ? ["import type { AppProps } from 'next/app';"] : []),
    importLine,
    '',
    `export default function App({ Component, pageProps }${typed ? ': AppProps' : ''}) {`,
    '  return <Component {...pageProps} />;',
    '}',
    '',
  ].join('\n');
}

/** A side-effect import of the init (instrumentation-client, pages/_app), marked for uninstall. */
export function clientImportLine(specifier: string): string {
  return `import '${specifier}'; ${jsMarkerComment}`;
}

/** The root layout's two lines: the component's import, and its element, first in <body>. */
export function layoutLines(specifier: string): { importLine: string; elementLine: string } {
  return { importLine: `import ${CLIENT_COMPONENT} from '${specifier}'; ${jsMarkerComment}`, elementLine: `<${CLIENT_COMPONENT} /> ${jsxMarkerComment}` };
}

/** A file install creates to hold only our import (instrumentation-client, pages/_app). */
export function createdHookFile(lines: string[]): string {
  return [generatedHeader, ...lines, ''].join('\n');
}
