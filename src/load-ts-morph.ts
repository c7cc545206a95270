/**
 * Loads ts-morph, the CLI's heaviest dependency (it carries the TypeScript compiler), once, and only
 * when a JS/TS file is about to be parsed. Its CommonJS modules go through v8-compile-cache, which
 * keeps V8's compiled code in the OS temp folder: every run after the first loads ts-morph in about
 * half the time or less, which is what keeps `install --dry-run` and `doctor` fast on TypeScript
 * projects (Node 20 has no built-in compile cache).
 */
import { createRequire } from 'node:module';

type Morph = typeof import('ts-morph');

let morph: Morph | null = null;

export function loadTsMorph(): Morph {
  if (!morph) {
    const require = createRequire(import.meta.url);
    require('v8-compile-cache');
    morph = require('ts-morph') as Morph;
  }
  return morph;
}
