/**
 * A browser app with a build step ships minified bundles: without source maps, listen and serve
 * can only show `assets/index-4f1c2a.js:1:48213`, and every build may start new issues
 * (spec/fingerprint.md "Browser events"). This check reads the build output: its scripts should
 * have maps (a `.map` file, a `sourceMappingURL` comment, or an inline map), else it names the
 * bundler's switch. It needs only the package's folder, so it fits any platform that has a build.
 */
import { join } from 'node:path';
import { asObject, asString } from '../../../detectors/project-files.js';
import { defaultBuildDirs, listBuiltScripts, locateMap, sourceMapSwitches, type BuiltScript } from '../../../ingest/build-maps.js';
import { readText } from '../../../read-text.js';
import { pass, warn, type Check } from '../../../doctor/check.js';

interface Bundler {
  name: string;
  /** A dependency, or a word of the build script, that shows it. */
  marks: string[];
  outputs: string[];
  switch: string;
}

/** First match wins: Next.js and Create React App use webpack, Vite uses esbuild. */
export const bundlers: Bundler[] = [
  { name: 'Next.js', marks: ['next'], outputs: ['.next'], switch: 'productionBrowserSourceMaps: true in next.config' },
  { name: 'Create React App', marks: ['react-scripts'], outputs: ['build'], switch: 'GENERATE_SOURCEMAP=true (remove GENERATE_SOURCEMAP=false)' },
  { name: 'Vite', marks: ['vite'], outputs: ['dist'], switch: "build.sourcemap: true (or 'hidden') in vite.config" },
  { name: 'webpack', marks: ['webpack', 'webpack-cli'], outputs: ['dist'], switch: "devtool: 'source-map' (or 'hidden-source-map') in webpack.config" },
  { name: 'esbuild', marks: ['esbuild'], outputs: defaultBuildDirs, switch: 'esbuild --sourcemap (sourcemap: true)' },
  { name: 'Rollup', marks: ['rollup'], outputs: defaultBuildDirs, switch: 'output.sourcemap: true in rollup.config' },
  { name: 'Parcel', marks: ['parcel'], outputs: ['dist'], switch: 'leave source maps on (no --no-source-maps)' },
];

const LISTED = 3;

/** The check for the browser app at `root`; null when it has no build step (its scripts are the source). */
export async function checkSourceMaps(root: string): Promise<Check | null> {
  let pkg: Record<string, unknown> | null;
  try {
    pkg = asObject(JSON.parse((await readText(join(root, 'package.json'))) ?? 'null'));
  } catch {
    return null; // the manifest check reports an unparseable package.json
  }
  const build = asString(asObject(pkg?.scripts)?.build);
  if (!pkg || !build) return null;
  const names = new Set(['dependencies', 'devDependencies'].flatMap((field) => Object.keys(asObject(pkg[field]) ?? {})));
  const words = new Set(build.split(/[\s;&|]+/));
  const bundler = bundlers.find((candidate) => candidate.marks.some((mark) => names.has(mark) || words.has(mark)));
  const outputs = bundler?.outputs ?? defaultBuildDirs;
  const fix = bundler ? `turn on ${bundler.switch}, then rebuild` : `turn source maps on in the build (${sourceMapSwitches}), then rebuild`;

  const scripts: BuiltScript[] = [];
  for (const dir of outputs) scripts.push(...(await listBuiltScripts(join(root, dir))));
  if (scripts.length === 0) {
    return warn('source-maps', `no built scripts in ${outputs.join(', ')} yet, so their source maps cannot be checked`, 'build the app (npm run build), then run ez-pixel doctor again');
  }
  return checkBuiltMaps(scripts, bundler?.name ?? null, fix);
}

/** The check on the scripts of one build: every one should have its map. */
export async function checkBuiltMaps(scripts: BuiltScript[], bundlerName: string | null, fix: string): Promise<Check> {
  const without: string[] = [];
  for (const { script, file } of scripts) if (!(await locateMap(script))) without.push(file);
  const by = bundlerName ? ` (${bundlerName})` : '';
  if (without.length === scripts.length) {
    return warn('source-maps', `none of the ${scripts.length} built scripts${by} has a source map: errors will show minified frames, and each build may start new issues`, fix);
  }
  const mapped = `${scripts.length - without.length} of ${scripts.length} built scripts${by} have source maps`;
  if (without.length === 0) return pass('source-maps', mapped);
  const listed = without.slice(0, LISTED).join(', ') + (without.length > LISTED ? `, … (${without.length - LISTED} more)` : '');
  return pass('source-maps', `${mapped}; without: ${listed} (copied files, most likely)`);
}
