import type { SdkPackage } from '../platform.js';
import { version } from '../../version.js';

export const nodeSdk: SdkPackage = { name: '@ez-pixel/node', artifact: `ez-pixel-node-${version}.tgz` };
