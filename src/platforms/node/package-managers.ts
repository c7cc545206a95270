/** The JS package managers' rows (see package-managers/table.ts for what each field means). */
import type { JsPackageManager } from '../../project.js';
import type { PackageManagerRow } from '../../package-managers/table.js';

const NODE_FILES = ['package.json'];
const fileSpec = (_name: string, path: string): string => `file:${path}`;

export const nodePackageManagers: Record<JsPackageManager, PackageManagerRow> = {
  npm: {
    name: 'npm', runtime: 'node',
    add: ['npm', 'install', '--no-audit', '--no-fund'], workspaceRootFlag: null,
    remove: ['npm', 'uninstall', '--no-audit', '--no-fund'],
    localSpec: fileSpec,
    touches: [...NODE_FILES, 'package-lock.json', 'npm-shrinkwrap.json'], creates: ['node_modules'],
    env: {},
    runPython: null,
  },
  pnpm: {
    name: 'pnpm', runtime: 'node',
    add: ['pnpm', 'add'], workspaceRootFlag: '-w',
    remove: ['pnpm', 'remove'],
    localSpec: fileSpec,
    touches: [...NODE_FILES, 'pnpm-lock.yaml', 'pnpm-workspace.yaml'], creates: ['node_modules'],
    env: {},
    runPython: null,
  },
  yarn: {
    name: 'yarn', runtime: 'node',
    add: ['yarn', 'add', '--no-progress'], workspaceRootFlag: '-W',
    remove: ['yarn', 'remove', '--no-progress'],
    localSpec: fileSpec,
    touches: [...NODE_FILES, 'yarn.lock', '.yarnrc'], creates: ['node_modules'],
    env: {},
    runPython: null,
  },
  'yarn-berry': {
    name: 'yarn-berry', runtime: 'node',
    add: ['yarn', 'add'], workspaceRootFlag: null,
    remove: ['yarn', 'remove'],
    // Berry needs the name for a file: tarball, and a path starting with ./
    localSpec: (name, path) => `${name}@file:./${path}`,
    touches: [...NODE_FILES, 'yarn.lock', '.yarnrc.yml', '.pnp.cjs', '.pnp.loader.mjs', '.yarn/install-state.gz'],
    creates: ['node_modules', '.yarn'],
    // Berry refuses to change the lockfile in CI unless told it may.
    env: { YARN_ENABLE_IMMUTABLE_INSTALLS: 'false' },
    runPython: null,
  },
  bun: {
    name: 'bun', runtime: 'node',
    add: ['bun', 'add'], workspaceRootFlag: null,
    remove: ['bun', 'remove'],
    localSpec: fileSpec,
    touches: [...NODE_FILES, 'bun.lockb', 'bun.lock', 'bunfig.toml'], creates: ['node_modules'],
    env: {},
    runPython: null,
  },
};

/** How each JS package manager runs a package.json script, for install's "Next steps" and doctor's fixes. */
const runPrefixes: Record<JsPackageManager, string> = { npm: 'npm run', pnpm: 'pnpm', yarn: 'yarn', 'yarn-berry': 'yarn', bun: 'bun run' };

export function nodeStartCommand(packageManager: string): string {
  return packageManager === 'npm' ? 'npm start' : nodeScriptCommand(packageManager, 'start');
}

export function nodeBuildCommand(packageManager: string): string {
  return nodeScriptCommand(packageManager, 'build');
}

export function nodeScriptCommand(packageManager: string, script: string): string {
  return `${runPrefixes[packageManager as JsPackageManager] ?? 'npm run'} ${script}`;
}
