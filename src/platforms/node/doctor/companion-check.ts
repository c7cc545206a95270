/**
 * A full-stack framework's browser SDK: declared in package.json and resolvable from the app,
 * like the Node SDK's own manifest and installed checks (the page's bundler resolves it the same way).
 */
import { join } from 'node:path';
import { fail, pass, type Check } from '../../../doctor/check.js';
import type { DoctorContext } from '../../../doctor/context.js';
import { readText } from '../../../read-text.js';
import type { SdkPackage } from '../../platform.js';
import { declaresJsPackage } from '../dependency.js';
import { installedJsPackage } from './installed.js';

export async function checkCompanionSdk(context: DoctorContext, sdk: SdkPackage): Promise<Check> {
  const { project, wiring } = context;
  const manifest = (await readText(join(project.root, project.manifest))) ?? '';
  if (!declaresJsPackage(sdk.name)(project.manifest, manifest)) {
    return fail('client-sdk', `${sdk.name} (the browser side of ${project.framework}) is not declared in ${project.manifest}`, 'npx ez-pixel install');
  }
  const installed = await installedJsPackage(sdk.name)(project, wiring.entry);
  if ('missing' in installed) return fail('client-sdk', installed.missing, installed.fix);
  return pass('client-sdk', `${sdk.name} ${installed.version} is declared and installed for the browser side`);
}
