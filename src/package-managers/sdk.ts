/** The SDK packages the CLI installs: one per runtime, with the file name of its bundled artifact. */
import type { Runtime } from '../project.js';
import { version } from '../version.js';

export const SDK_PACKAGES: Record<Runtime, { name: string; artifact: string }> = {
  node: { name: '@ez-pixel/node', artifact: `ez-pixel-node-${version}.tgz` },
  python: { name: 'ez-pixel', artifact: `ez_pixel-${version}-py3-none-any.whl` },
};

/** Where install keeps its record and the copied artifact, relative to the project root. */
export const STATE_DIR = '.ez-pixel';
