/**
 * The files a Node project is started from, as package.json says: every script that runs a file
 * (`start`, `dev`, `worker`, `start:prod`…, but not tests, lint, builds or npm's pre/post hooks)
 * or starts a pm2 ecosystem file's apps, and `bin`. `main` and `exports` count only when nothing runs a file: with a start script,
 * `main` is what other code imports, not what runs. Files in template, script and test folders
 * are never the app.
 */
import { asObject, asString } from '../../../detectors/project-files.js';
import { binPaths, exportPaths, normalize, notEntryFolders } from './entry.js';
import type { NodeFacts } from './facts.js';
import { scriptStarts } from './script-starts.js';

export interface Starter {
  /** The file, relative to the root, as package.json names it (possibly compiled output). */
  path: string;
  /** How it is started: `scripts.start: node dist/server.js`. */
  via: string;
}

/** Scripts that never start the app. */
const notAppScript = /^(test|lint|format|fmt|prettier|eslint|build|compile|typecheck|type-check|check|coverage|e2e|bench|release|publish|docs?|storybook|clean|prepare|prepack|postpack|postinstall|preinstall|install)([:_-]|$)/;
/** The order scripts are offered in: the start script is the strongest evidence. */
const firstScripts = ['start', 'dev', 'serve'];

export async function nodeStarters(facts: NodeFacts): Promise<Starter[]> {
  const { pkg } = facts;
  const scripts = Object.keys(asObject(pkg.scripts) ?? {});
  const names = [...firstScripts.filter((name) => scripts.includes(name)), ...scripts.filter((name) => !firstScripts.includes(name))]
    .filter((name) => !notAppScript.test(name) && !isHook(name, scripts));
  const run: Starter[] = [];
  for (const name of names) {
    for (const start of await scriptStarts(facts, name)) {
      // A preloaded file runs at start too, before the app (Sentry's `--import ./instrument.mjs` pattern).
      run.push(start, ...(start.preloads ?? []).map((path) => ({ path, via: `${start.via} preloads ${path}` })));
    }
  }
  run.push(...binPaths(pkg.bin).map((bin) => ({ path: bin.path, via: `package.json bin ${bin.command ? `${bin.command} ` : ''}is ${bin.path}` })));
  const starters = run.length > 0 ? run : [
    ...[asString(pkg.main)].filter((main): main is string => main !== null).map((main) => ({ path: main, via: `package.json main is ${main}` })),
    ...exportPaths(pkg.exports).map((path) => ({ path, via: `package.json exports is ${path}` })),
  ];
  const distinct = new Map(starters.map((starter) => [normalize(starter.path), { ...starter, path: normalize(starter.path) }]));
  return [...distinct.values()].filter((starter) => !notEntryFolders.test(starter.path));
}

/** `prestart`, `postdev`: npm runs them around another script; they set up, they are not the app. */
function isHook(name: string, scripts: string[]): boolean {
  const match = /^(pre|post)(.+)$/.exec(name);
  return match !== null && scripts.includes(match[2]!);
}
