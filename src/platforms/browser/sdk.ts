import type { SdkPackage } from '../platform.js';
import { version } from '../../version.js';

export const browserSdk: SdkPackage = { name: '@ez-pixel/browser', artifact: `ez-pixel-browser-${version}.tgz` };
