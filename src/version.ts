import { readFileSync } from 'node:fs';

/** The CLI's version, which is also the version of the SDK artifacts it bundles. */
export const version: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
