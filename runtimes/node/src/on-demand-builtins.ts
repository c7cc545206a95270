// Node built-ins the SDK loads on first use rather than at import. node:crypto alone (with the
// streams it pulls in) costs several milliseconds of every application's start, and none of
// these is needed until something is reported, spooled or crashes.
import * as nodeModule from 'node:module';

/**
 * A require that resolves from `dir` (with a trailing `/`). Called through the namespace on
 * purpose: webpack rewrites a named `createRequire` import called with a computed argument into
 * `undefined`, which broke every report from an app bundled by webpack.
 */
export function requireFrom(dir: string): NodeJS.Require {
  return nodeModule.createRequire(dir);
}

// Works the same from the ES module and the CommonJS build; built-ins resolve from anywhere.
const load = requireFrom(`${process.cwd()}/`);
let crypto: typeof import('node:crypto') | null = null;
let fsPromisesModule: Promise<typeof import('node:fs/promises')> | null = null;

export function nodeCrypto(): typeof import('node:crypto') {
  crypto ??= load('node:crypto') as typeof import('node:crypto');
  return crypto;
}

export function workerThreads(): typeof import('node:worker_threads') {
  return load('node:worker_threads') as typeof import('node:worker_threads');
}

export function fsPromises(): Promise<typeof import('node:fs/promises')> {
  fsPromisesModule ??= import('node:fs/promises');
  return fsPromisesModule;
}
