/**
 * doctor on a static site: the SDK file is the one this CLI bundles (by its hash: a minified file
 * says no version of its own), every page that runs JavaScript loads it and its init, the init's
 * key and URL are install.json's, and the probe (probe.ts) runs both files against the ingest.
 */
import { join } from 'node:path';
import { fail, pass, type Check } from '../../../doctor/check.js';
import type { DoctorContext } from '../../../doctor/context.js';
import { parseState, sha256, STATE_FILE } from '../../../plan/state.js';
import type { Project } from '../../../project.js';
import { readText } from '../../../read-text.js';
import { version } from '../../../version.js';
import type { InstalledSdk } from '../../platform.js';
import { readPage } from './page.js';
import { pageTagOrder } from './page-tags.js';
import { siteScripts, sitePages } from './site.js';
import { readIife } from './templates.js';

export async function installedStaticSdk(project: Project): Promise<InstalledSdk> {
  const { sdk } = siteScripts(project.root);
  const copied = await readText(join(project.root, sdk));
  if (copied === null) return { missing: `${sdk} does not exist, so no page can load the SDK`, fix: 'npx ez-pixel install (it copies the SDK in again)' };
  const bundled = readIife();
  if (bundled !== null && sha256(copied) !== sha256(bundled)) {
    return { missing: `${sdk} is not the SDK this CLI bundles (${version}): it was edited, or another version was copied`, fix: `npx ez-pixel install (a re-run copies this version over the one install copied; delete ${sdk} first if install did not copy it)` };
  }
  return { version };
}

/** Every page that runs JavaScript loads the SDK and its init before its own scripts. */
export async function checkStaticPages(context: DoctorContext): Promise<Check> {
  const { project } = context;
  const { sdk } = siteScripts(project.root);
  const problems: string[] = [];
  let wired = 0;
  for (const page of await sitePages(project.root)) {
    const text = await readText(join(project.root, page));
    if (text === null || !readPage(text).runsScript) continue;
    const order = pageTagOrder(text);
    if (order.kind === 'first') wired++;
    else if (order.kind === 'missing') problems.push(`${page} does not load ${sdk} and its init`);
    else if (order.kind === 'late') problems.push(`${page} runs ${order.before} before ${sdk}`);
    else if (order.kind === 'unparseable') problems.push(`${page} does not parse (${order.reason})`);
  }
  if (problems.length === 0) return pass('pages', `${wired} page${wired === 1 ? '' : 's'} load${wired === 1 ? 's' : ''} ${sdk} and its init before their own scripts`);
  return fail('pages', `${problems.join('; ')}: errors there are not reported`, 'npx ez-pixel install (a re-run puts the lines back in every page that lacks them)');
}

/** The init's key and URL are the ones install.json recorded (a hand edit of one of them is a wiring nobody else knows of). */
export async function checkStaticRecord(context: DoctorContext): Promise<Check | null> {
  const { project, wiring, initSettings } = context;
  const state = parseState(await readText(join(project.root, STATE_FILE)));
  if (state.kind !== 'state') return null;
  const { projectKey, ingestUrl } = state.state.settings;
  if (initSettings.projectKey === projectKey && initSettings.ingestUrl === ingestUrl) return pass('record', `${wiring.initFile} holds the key and URL ${STATE_FILE} recorded`);
  return fail(
    'record',
    `${wiring.initFile} holds ${initSettings.projectKey ?? 'no key'} and ${initSettings.ingestUrl ?? 'no URL'}, but ${STATE_FILE} recorded ${projectKey} and ${ingestUrl}`,
    `npx ez-pixel install --key <key> --ingest-url <url> (it writes both)`,
  );
}
