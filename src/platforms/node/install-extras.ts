/**
 * What a Node install plans beyond the init, the entry and the dependency: a published package
 * needs --from-registry, a `"sideEffects": false` package.json must list the init file, a
 * full-stack framework's browser side gets its client init (full-stack/client-side.ts), and an app
 * Vite builds for the page gets hidden source maps (wiring/vite-source-maps.ts).
 */
import { STATE_DIR } from '../../package-managers/sdk.js';
import type { InstallState } from '../../plan/state.js';
import type { Project } from '../../project.js';
import type { InitSettings, InitWiring } from '../../templates/index.js';
import type { InstallExtras, SdkPackage } from '../platform.js';
import { clientSideOf } from './full-stack/client-side.js';
import { routerBuild, routerOf } from './frameworks/routers.js';
import { publishedBecause } from './published-package.js';
import { nodeSdk } from './sdk.js';
import { planSideEffects } from './side-effects.js';
import { planHiddenSourceMaps } from './wiring/vite-source-maps.js';

type ExtrasOptions = { fromRegistry: boolean; skipInstall: boolean; previous: InstallState | null; settings: InitSettings };
type Read = (path: string) => Promise<string | null>;

/**
 * The extras of a package.json project that installs `sdk` (Node's, the browser's: a bundler drops a
 * sideEffects-free import too); `viteBuildsPage`: Vite builds what runs in its page.
 */
export function jsInstallExtras(
  sdk: SdkPackage,
  viteBuildsPage: (project: Project) => boolean,
): (project: Project, wiring: InitWiring, read: Read, options: ExtrasOptions) => Promise<InstallExtras> {
  return (project, wiring, read, options) => installExtras(sdk, viteBuildsPage(project), project, wiring, read, options);
}

/**
 * The full-stack frameworks whose client Vite builds: SvelteKit, React Router, and Remix with its
 * Vite plugin (not its classic compiler). Nuxt's source maps are its own `sourcemap` option;
 * Next.js uses webpack or Turbopack.
 */
function viteBuildsClient(project: Project): boolean {
  const router = routerOf(project.framework);
  return project.framework === 'sveltekit' || (router !== null && routerBuild(project.root, router).vite);
}

export const nodeInstallExtras = jsInstallExtras(nodeSdk, viteBuildsClient);

async function installExtras(sdk: SdkPackage, viteBuildsPage: boolean, project: Project, wiring: InitWiring, read: Read, options: ExtrasOptions): Promise<InstallExtras> {
  const published = !options.fromRegistry && !options.skipInstall && options.previous?.dependency?.source !== 'artifact'
    ? publishedBecause(await read(project.manifest))
    : null;
  if (published) {
    return {
      kind: 'needs-flag',
      message: `this package is published (${published}): a file:${STATE_DIR}/… dependency is not in what its users download, so installing it would fail for all of them`,
      fix: `run again with --from-registry to depend on ${sdk.name} from the npm registry, or mark the package "private": true if it is never published; nothing was changed`,
    };
  }
  const clientSide = clientSideOf(project);
  const client = (await clientSide?.plan(project, options.settings, read)) ?? { edits: [], notes: [] };
  if (viteBuildsPage) {
    const maps = await planHiddenSourceMaps(read);
    if (maps.kind === 'edit') client.edits.push(maps.edit);
    if (maps.kind !== 'present') client.notes.push(maps.note);
  }
  const inits = [wiring.initFile, ...(clientSide?.importedInit?.(project) ?? [])];
  const sideEffects = project.framework !== 'next' ? planSideEffects(await read('package.json'), inits) : null;
  if (!sideEffects) return { kind: 'extras', ...client, manifests: [] };
  // package.json's text from before install is what uninstall restores.
  return {
    kind: 'extras',
    edits: [sideEffects.edit, ...client.edits],
    notes: [sideEffects.note, ...client.notes],
    manifests: [{ path: 'package.json', before: sideEffects.edit.before, afterSha256: null }],
  };
}
