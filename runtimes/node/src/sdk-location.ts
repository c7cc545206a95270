// Where this SDK's own files are, so their frames can be left out of reports. Found from a
// stack trace rather than import.meta.url or __dirname because the same source is compiled to
// both ES modules and CommonJS.
import { readFileSync } from 'node:fs';
import { fileUrlToPath, toDirectoryPrefix } from './frame-paths.js';
import { parseV8Stack } from './stack-parse.js';

// The SDK's own bundles. Anything else means the SDK was bundled into the application (esbuild,
// webpack): its code then shares a file with the app's, and no directory holds only SDK frames.
const OWN_BUNDLE = /\/dist\/(?:esm|cjs)\/index\.js$/;

/** The `dist/` directory of this package when running from its own `dist/esm|cjs/index.js`, or null. */
export function sdkDirectory(): string | null {
  const here = parseV8Stack(new Error().stack ?? '')[0]?.location;
  if (!here || here.startsWith('node:')) return null;
  const path = (here.startsWith('file://') ? fileUrlToPath(here) : here).replace(/\\/g, '/');
  if (!OWN_BUNDLE.test(path)) return null;
  const dist = path.split('/').slice(0, -2).join('/');
  return isThisPackage(`${dist.slice(0, -'/dist'.length)}/package.json`) ? toDirectoryPrefix(dist) : null;
}

function isThisPackage(packageJson: string): boolean {
  try {
    return (JSON.parse(readFileSync(packageJson, 'utf8')) as { name?: unknown }).name === '@ez-pixel/node';
  } catch {
    return false;
  }
}
