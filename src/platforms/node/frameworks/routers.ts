/**
 * React Router 7 framework mode and Remix v2, its predecessor, are wired the same way (the init in
 * app/entry.server with its handleError, the browser init first in app/entry.client, both created
 * from the installed defaults when missing). What differs between them is data, kept here: the
 * packages, the component the client entry hydrates, and where the build goes (Remix's classic
 * compiler, `remix build` without Vite, writes build/index.js and public/build).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Framework } from '../../../project.js';
import { VITE_MAPS_SWITCH, viteConfigFiles } from '../wiring/vite-source-maps.js';

export interface RouterFramework {
  framework: 'react-router' | 'remix';
  name: string;
  /** The package whose dist/config/defaults hold the entries the framework uses when the app has none. */
  dev: string;
  /** The runtime the default server entry imports (with isbot). */
  serverRuntime: string;
  /** The component app/entry.client hydrates, and whether it can take an onError (HydratedRouter from 7.8; RemixBrowser never). */
  browserRoot: string;
  rootTakesOnError: boolean;
}

export const routerFrameworks: Record<RouterFramework['framework'], RouterFramework> = {
  'react-router': { framework: 'react-router', name: 'React Router', dev: '@react-router/dev', serverRuntime: '@react-router/node', browserRoot: 'HydratedRouter', rootTakesOnError: true },
  remix: { framework: 'remix', name: 'Remix', dev: '@remix-run/dev', serverRuntime: '@remix-run/node', browserRoot: 'RemixBrowser', rootTakesOnError: false },
};

export function routerOf(framework: Framework): RouterFramework | null {
  return framework === 'react-router' || framework === 'remix' ? routerFrameworks[framework] : null;
}

/** Where the last build is: the server module its server runs, the browser's chunks, and whether Vite made them (import.meta.env exists). */
export interface RouterBuild {
  server: string;
  client: string;
  vite: boolean;
  /** How the build gets source maps. */
  mapsSwitch: string;
}

const viteBuild: RouterBuild = { server: 'build/server/index.js', client: 'build/client', vite: true, mapsSwitch: VITE_MAPS_SWITCH };
const classicBuild: RouterBuild = { server: 'build/index.js', client: 'public/build', vite: false, mapsSwitch: '--sourcemap on remix build (the build script)' };

/** Remix builds with Vite when a vite.config loads its plugin (from @remix-run/dev), else with the classic compiler; React Router always with Vite. */
export function routerBuild(root: string, router: RouterFramework): RouterBuild {
  if (router.framework === 'react-router') return viteBuild;
  const loadsPlugin = viteConfigFiles.some((name) => {
    try {
      return readFileSync(join(root, name), 'utf8').includes(router.dev);
    } catch {
      return false;
    }
  });
  return loadsPlugin ? viteBuild : classicBuild;
}
