/**
 * The file a package.json script really runs: `node --watch -r dotenv/config src/server.js` →
 * src/server.js, `tsx watch src/main.ts` → src/main.ts, `tsc && node dist/index.js` →
 * dist/index.js, `npm run serve` → whatever `scripts.serve` runs, `pm2 start app.js` → app.js.
 */
import { posix } from 'node:path';
import { asObject, asString } from '../../../detectors/project-files.js';

/** Commands whose first file argument is the file that runs. */
const runners = new Set([
  'node', 'nodemon', 'tsx', 'ts-node', 'ts-node-dev', 'ts-node-esm', 'tsnd', 'bun', 'deno', 'esno', 'vite-node', 'jiti',
  'pm2', 'pm2-runtime', 'pm2-dev', 'forever', 'supervisor', 'babel-node', 'swc-node',
]);
/** Runner words that are not the file: subcommands, and options whose value is the next word. */
const runnerSubcommands = new Set(['watch', 'run', 'start']);
const optionsWithValue = new Set([
  '-r', '--require', '--import', '--loader', '--experimental-loader', '-C', '--conditions', '--env-file', '--watch-path',
  '--exec', '-e', '--ext', '--instances', '--name', '-P', '--project', '--tsconfig',
]);
/** Commands that run another script of the same package.json. */
const scriptRunners = /^(npm|pnpm|yarn|bun)\s+(run\s+|run-script\s+)?([\w:.-]+)(\s|$)/;
/** pm2's ecosystem files and other configs are not the app. */
const configFile = /(^|\/)[^/]*\.config\.[cm]?[jt]s$|\.json$/;
const pm2Runners = new Set(['pm2', 'pm2-runtime', 'pm2-dev']);
/** What pm2 reads as an ecosystem file rather than a script to run (YAML ones are not read here). */
const ecosystemFile = /(^|\/)[^/]*\.config\.[cm]?js$|\.json$/;

export interface ScriptRun {
  /** The file, as the script names it. */
  path: string;
  /** How it was found: `scripts.start → scripts.serve: node dist/server.js`. */
  via: string;
  /** Project files the runner loads before it (`node --import ./instrument.mjs`, `-r ./preload.js`). */
  preloads?: string[];
}

/** Preload options (`-r x`, `--import=x`); only a `./` or `../` value is a project file, others are packages. */
const preloadOption = /^(-r|--require|--import|--loader|--experimental-loader)(=(.*))?$/;
const localModule = /^\.\.?\//;

export function scriptRun(pkg: Record<string, unknown>, name: string): ScriptRun | null {
  const run = findInScript(pkg, name, fileOf);
  if (!run) return null;
  const preloads = segmentPreloads(run.segment);
  return { path: run.path, via: run.via, ...(preloads.length > 0 && { preloads }) };
}

/** `pm2 start ecosystem.config.js` → ecosystem.config.js: the pm2 ecosystem file a script starts (pm2-ecosystem.ts reads its apps). */
export function scriptEcosystem(pkg: Record<string, unknown>, name: string): ScriptRun | null {
  return findInScript(pkg, name, ecosystemOf);
}

/** The first segment of a script (following `npm run other`) in which `pick` finds a file. */
function findInScript(pkg: Record<string, unknown>, name: string, pick: (segment: string) => string | null, depth = 0): (ScriptRun & { segment: string }) | null {
  const scripts = asObject(pkg.scripts) ?? {};
  const command = asString(scripts[name]);
  if (!command || depth > 4) return null;
  for (const segment of command.split(/&&|\|\||;|\s&\s/).map((part) => part.trim())) {
    const other = scriptRunners.exec(segment);
    if (other && other[3] !== name && asString(scripts[other[3]!])) {
      const followed = findInScript(pkg, other[3]!, pick, depth + 1);
      if (followed) return { ...followed, via: `scripts.${name} → ${followed.via}` };
      continue;
    }
    const path = pick(segment);
    if (path) return { path, via: `scripts.${name}: ${segment}`, segment };
  }
  return null;
}

function fileOf(segment: string): string | null {
  const file = runnerArgument(segment);
  return file && !configFile.test(file.word) ? file.word : null;
}

function ecosystemOf(segment: string): string | null {
  const file = runnerArgument(segment);
  return file && pm2Runners.has(file.runner) && ecosystemFile.test(file.word) ? file.word : null;
}

/** The project files a segment's preload options name. */
function segmentPreloads(segment: string): string[] {
  // `NODE_OPTIONS='--import ./instrument.mjs' node app.js` preloads for the runner too.
  const words = segmentWords(segment.replace(/\bNODE_OPTIONS=(['"]?)/g, '$1'));
  return words.flatMap((word, i) => {
    const option = preloadOption.exec(word);
    const value = option && (option[2] ? option[3] : words[i + 1]);
    return value && localModule.test(value) ? [value] : [];
  });
}

const segmentWords = (segment: string) => segment.split(/\s+/).map((word) => word.replace(/^['"]|['"]$/g, ''));

/** The first file argument of a runner in a script segment, and the runner's name. */
function runnerArgument(segment: string): { runner: string; word: string } | null {
  const words = segmentWords(segment);
  const runner = words.findIndex((word) => runners.has(posix.basename(word)));
  if (runner === -1) return null;
  for (let i = runner + 1; i < words.length; i++) {
    const word = words[i]!;
    if (optionsWithValue.has(word)) i++;
    else if (word === '--') continue;
    else if (!word.startsWith('-') && !runnerSubcommands.has(word) && !word.includes('=')) return { runner: posix.basename(words[runner]!), word };
  }
  return null;
}

/** Bundlers whose file argument is the source of what the start script runs. */
const bundlers = new Set(['esbuild', 'tsup', 'ncc', 'rollup', 'rolldown', 'tsdown', 'pkgroll', 'unbuild', 'webpack', 'parcel', 'vite']);
const sourceFile = /^[^-][^=]*\.(m|c)?[jt]sx?$/;

/**
 * `esbuild src/index.ts --bundle --outfile=dist/index.js` → src/index.ts; `bun build ./src/main.ts` → ./src/main.ts;
 * `vite build --ssr src/server.js` and `webpack --entry ./src/server.js` likewise (a webpack.config's `entry` is not read).
 */
export function buildInput(pkg: Record<string, unknown>): ScriptRun | null {
  const scripts = asObject(pkg.scripts);
  // Some projects name their build `compile`.
  const name = ['build', 'compile'].find((script) => asString(scripts?.[script]));
  if (!name) return null;
  for (const segment of asString(scripts![name])!.split(/&&|\|\||;/).map((part) => part.trim())) {
    const words = segment.split(/\s+/);
    const at = words.findIndex((word, i) => bundlers.has(posix.basename(word)) || (posix.basename(word) === 'bun' && words[i + 1] === 'build'));
    if (at === -1) continue;
    const file = words.slice(at + 1).find((word) => sourceFile.test(word) && !/(^|\/)(dist|build|out)\//.test(word));
    if (file) return { path: file, via: `scripts.${name}: ${segment}` };
  }
  return null;
}
