// Where this SDK's own files are, so their frames can be left out of reports. Found from a
// stack trace rather than import.meta.url or __dirname because the same source is compiled to
// both ES modules and CommonJS.
import { fileUrlToPath, toDirectoryPrefix } from './frame-paths.js';
import { parseV8Stack } from './stack-parse.js';

/** The `dist/` directory holding this file (`dist/esm/…` or `dist/cjs/…`), or null. */
export function sdkDirectory(): string | null {
  const here = parseV8Stack(new Error().stack ?? '')[0]?.location;
  if (!here || here.startsWith('node:')) return null;
  const path = (here.startsWith('file://') ? fileUrlToPath(here) : here).replace(/\\/g, '/');
  const parts = path.split('/');
  // …/dist/esm/sdk-location.js → …/dist/
  return parts.length > 2 ? toDirectoryPrefix(parts.slice(0, -2).join('/')) : null;
}
