/**
 * A Vite app reaches the page only through its build, so doctor builds it: `vite build` with the
 * project's own config, into a temporary folder (never the user's dist/), then reads the bundle.
 * The SDK must be in it (a bundler drops an import it believes has no side effects), the key and
 * URL it inlines must be the configured ones (.env's VITE_EZ_PIXEL_* or the init's fallback), and
 * its scripts should have source maps, which listen and serve need to show the original frames. A
 * Vue app's bundle must hold the handler its entry passes the app to (vue/doctor.ts).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { asObject, asString } from '../../../detectors/project-files.js';
import { fail, pass, type Check } from '../../../doctor/check.js';
import type { DoctorContext } from '../../../doctor/context.js';
import { listBuiltScripts } from '../../../ingest/build-maps.js';
import { nodeScriptCommand } from '../../node/package-managers.js';
import { VITE_VARIABLES } from '../templates/vite.js';
import { checkVueErrors } from '../vue/doctor.js';
import { bundlers, checkBuiltMaps } from './source-maps-check.js';

const BUILD_TIMEOUT_MS = 180_000;
/** A text the SDK's events carry (their `sdk.name`): the bundle holds the SDK when it holds this. */
const SDK_MARK = 'ez-pixel-browser';

/** vite's own command-line script, resolved from the project as its build script would run it. */
function viteBin(root: string): string | null {
  try {
    const manifestPath = createRequire(join(root, 'package.json')).resolve('vite/package.json');
    const manifest = createRequire(manifestPath)('./package.json') as { bin?: unknown };
    const bin = asString(asObject(manifest.bin)?.vite) ?? asString(manifest.bin);
    return bin ? join(dirname(manifestPath), bin) : null;
  } catch {
    return null;
  }
}

export async function checkViteBuild(context: DoctorContext): Promise<Check[]> {
  const { project } = context;
  const bin = viteBin(project.root);
  if (!bin) return [fail('build', 'vite is not installed in the project, so the app cannot be built', `install the project's dependencies (${project.packageManager.replace('-berry', '')} install)`)];
  const outDir = await mkdtemp(join(tmpdir(), 'ez-pixel-vite-build-'));
  try {
    const build = await execa(process.execPath, [bin, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'], {
      cwd: project.root, reject: false, timeout: BUILD_TIMEOUT_MS, env: { NO_COLOR: '1' },
    });
    if (build.exitCode !== 0) {
      const why = build.timedOut ? `no result within ${BUILD_TIMEOUT_MS / 1000} s` : String(build.stderr || build.stdout).trim().split('\n').slice(0, 3).join(' ');
      return [fail('build', `vite build failed, so no page holds the init: ${why}`, `run ${nodeScriptCommand(project.packageManager, 'build')} and fix what it reports`)];
    }
    const scripts = await listBuiltScripts(outDir);
    const bundle = (await Promise.all(scripts.map(({ script }) => readFile(script, 'utf8')))).join('\n');
    const vite = bundlers.find((bundler) => bundler.name === 'Vite');
    return [checkBundle(context, bundle), ...(await checkVueErrors(context, bundle)), await checkBuiltMaps(scripts, 'Vite', `turn on ${vite?.switch}, then rebuild`)];
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

function checkBundle({ wiring, env, initSettings }: DoctorContext, bundle: string): Check {
  if (!bundle.includes(SDK_MARK)) {
    return fail(
      'bundle',
      `vite build's bundle holds no ez-pixel code: the build dropped ${wiring.initFile} (a package.json "sideEffects" that leaves it out, or ${wiring.entry} no longer imports it)`,
      `keep "${wiring.importStatement}" first in ${wiring.entry} and list ./${wiring.initFile} in package.json "sideEffects" (npx ez-pixel install does both), then rebuild`,
    );
  }
  // What the page sends with: .env's value when set (Vite inlines it), else the init's fallback.
  const expected: [string, string, string | undefined][] = [
    ['key', VITE_VARIABLES.key, env.projectKey ?? initSettings.projectKey],
    ['ingest URL', VITE_VARIABLES.url, env.ingestUrl ?? initSettings.ingestUrl],
  ];
  for (const [what, variable, value] of expected) {
    if (value !== undefined && !bundle.includes(value)) {
      return fail(
        'bundle',
        `vite build's bundle does not hold the ${what} ${value}: the page sends another one (${variable} set for the build, in .env.production or the environment?)`,
        `set ${variable} to ${value} wherever the build reads it, or npx ez-pixel install with the one you mean`,
      );
    }
  }
  return pass('bundle', `vite build's bundle holds the SDK, the key ${(expected[0]![2] ?? '').slice(0, 12)}… and ${expected[1]![2]}`);
}
