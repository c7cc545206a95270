import type { SdkPackage } from '../platform.js';
import { version } from '../../version.js';

export const pythonSdk: SdkPackage = { name: 'ez-pixel', artifact: `ez_pixel-${version}-py3-none-any.whl` };
