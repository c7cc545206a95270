/**
 * SvelteKit's doctor links. SvelteKit loads hooks.server itself, so no start script names it; what
 * runs is the build, into which Vite bundles the hooks. For adapter-node that is build/index.js
 * (adapter({ out }) moves it): its server chunks must hold the init (a build made before install
 * serves without it), its client chunks none of the Node SDK, and the probe starts that very
 * server, on 127.0.0.1 and a free port, so the test event comes through the start path the app takes.
 */
import { join } from 'node:path';
import { fail, pass, type Check } from '../../../doctor/check.js';
import type { DoctorContext } from '../../../doctor/context.js';
import { readText } from '../../../read-text.js';
import type { ProbeRun } from '../../platform.js';
import { nodeBuildCommand } from '../package-managers.js';
import { SERVER_ENV_MODULE } from '../templates/sveltekit.js';
import { checkClientChunks } from './client-chunks.js';
import { runnableNodeInit } from './probe.js';
import { VITE_MAPS_SWITCH } from '../wiring/vite-source-maps.js';
import { filesHolding } from './react-router-build.js';

/** adapter-node's output folder, or null when the app uses another adapter. */
async function adapterNodeOutput(root: string): Promise<string | null> {
  for (const name of ['svelte.config.js', 'svelte.config.mjs', 'svelte.config.ts']) {
    const text = await readText(join(root, name));
    if (text === null) continue;
    if (!/['"]@sveltejs\/adapter-node['"]/.test(text)) return null;
    return /\badapter\s*\(\s*\{[^}]*\bout\s*:\s*['"]([^'"]+)['"]/.exec(text)?.[1]?.replace(/^\.\/|\/$/g, '') ?? 'build';
  }
  return null;
}

/** adapter-node's build, if there is one: its folder and the server chunks that hold the init. */
async function builtServer(context: DoctorContext): Promise<{ out: string; wired: boolean } | null> {
  const out = await adapterNodeOutput(context.project.root);
  if (out === null || (await readText(join(context.project.root, out, 'index.js'))) === null) return null;
  const key = context.initSettings.projectKey;
  const wired = key ? (await filesHolding(context.project.root, `${out}/server`, [key])).length > 0 : false;
  return { out, wired };
}

export function svelteKitEntryRuns(context: DoctorContext): Check {
  return pass('entry-runs', `SvelteKit loads ${context.wiring.entry} itself (its server hooks), in dev and in the build`);
}

export async function checkSvelteKitBuild(context: DoctorContext): Promise<Check | null> {
  const { project, wiring } = context;
  if (project.framework !== 'sveltekit') return null;
  const built = await builtServer(context);
  if (built === null) return null; // not built yet (or not adapter-node): `node build` would say so itself
  const rebuild = `rebuild, then restart: ${nodeBuildCommand(project.packageManager)} && node ${built.out}`;
  if (!built.wired) {
    return fail('build', `${built.out}/ was built before ${wiring.entry} loaded the init: node ${built.out} serves it without error tracking, so nothing is reported`, rebuild);
  }
  return pass('build', `${built.out}/ (adapter-node's server) holds ${wiring.entry} and its init`);
}

/** The client Vite built, whatever the adapter: SvelteKit writes it to .svelte-kit/output/client (adapter-node copies it). */
export async function checkSvelteKitClientBuild(context: DoctorContext): Promise<Check[]> {
  const { project, wiring } = context;
  if ((await readText(join(project.root, '.svelte-kit', 'output', 'client', '.vite', 'manifest.json'))) === null) return []; // not built yet
  return checkClientChunks(project.root, {
    dir: '.svelte-kit/output/client',
    nodeOnlyFrom: `${wiring.entry} and ${wiring.initFile}`,
    mapsSwitch: VITE_MAPS_SWITCH,
    rebuild: `rebuild, then restart: ${nodeBuildCommand(project.packageManager)}`,
  });
}

/** Exits once the SDK has written the probe's outcome, or after 12 s (the SDK's own deadline is 10 s). */
const startBuiltServer = `
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const started = Date.now();
setInterval(() => {
  if (existsSync(process.env.EZ_PIXEL_PROBE)) process.exit(0);
  if (Date.now() - started > 12000) {
    console.error(process.argv[1] + ' started but its init sent no probe event');
    process.exit(1);
  }
}, 50);
await import(pathToFileURL(process.argv[1]).href);
`;

/** Outside a build, node:process's env stands in for SvelteKit's (Vite resolves $env/dynamic/private, Node cannot). */
async function probeInitAlone({ project, wiring }: DoctorContext): Promise<ProbeRun> {
  const envImport = `import { env } from '${SERVER_ENV_MODULE}';`;
  const runnable = await runnableNodeInit(project.root, wiring.initFile, (source) => source.replace(envImport, "import { env } from 'node:process';"));
  return { argv: [process.execPath, runnable.path], env: {}, cleanup: runnable.cleanup };
}

export async function svelteKitProbeRun(context: DoctorContext): Promise<ProbeRun> {
  const built = await builtServer(context);
  if (!built?.wired) return probeInitAlone(context);
  return {
    argv: [process.execPath, '--input-type=module', '--eval', startBuiltServer, join(built.out, 'index.js')],
    // adapter-node reads HOST and PORT: loopback only, and a port nothing else holds.
    env: { HOST: '127.0.0.1', PORT: '0' },
    cleanup: async () => {},
  };
}
