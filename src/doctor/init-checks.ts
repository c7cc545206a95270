/**
 * Checks 4, 5 and 7: the init file exists and holds a well-formed key and URL, the entry loads it
 * before any other application code (an AST check), and the key agrees everywhere it is written.
 */
import { join } from 'node:path';
import { checkIngestUrl, isProjectKey } from '../key.js';
import { readEnvVariable } from '../plan/dotenv.js';
import { fail, pass, warn, type Check } from './check.js';
import { readText } from '../read-text.js';
import type { DoctorContext } from './context.js';

export function checkInitFile(context: DoctorContext): Check {
  const { wiring, initSource, initSettings } = context;
  if (initSource === null) return fail('init-file', `${wiring.initFile} does not exist`, 'npx ez-pixel install');
  const { projectKey, ingestUrl } = initSettings;
  if (projectKey === undefined || ingestUrl === undefined) {
    return fail('init-file', `${wiring.initFile} no longer holds its key and URL constants`, 'npx ez-pixel uninstall && npx ez-pixel install');
  }
  if (!isProjectKey(projectKey)) {
    return fail('init-file', `the key in ${wiring.initFile} is malformed: "${projectKey}"`, 'npx ez-pixel install --key pk_live_<32 hex>');
  }
  const url = checkIngestUrl(ingestUrl);
  if (!url.ok) return fail('init-file', `the URL in ${wiring.initFile} is malformed: ${url.reason}`, 'npx ez-pixel install --ingest-url https://…');
  return pass('init-file', `${wiring.initFile} holds key ${projectKey.slice(0, 12)}… and ${ingestUrl}`);
}

export async function checkLoadOrder(context: DoctorContext): Promise<Check> {
  const { project, wiring } = context;
  const source = await readText(join(project.root, wiring.entry));
  const paste = wiring.importStatement.split('\n')[0] ?? wiring.importStatement;
  if (source === null) return fail('load-order', `${wiring.entry} does not exist`, 'npx ez-pixel install');
  const { initLoadOrder } = await import('../inject/index.js');
  const order = await initLoadOrder(project, wiring.entry, source);
  switch (order.kind) {
    case 'first':
      return pass('load-order', `${wiring.entry} loads ${wiring.specifier} before any other code`);
    case 'late':
      return fail('load-order', `${wiring.entry} runs ${order.before} before loading ${wiring.specifier}`, `move "${paste}" to the top of ${wiring.entry}`);
    case 'after-package':
      return warn(
        'load-order',
        `${wiring.entry} loads ${wiring.specifier} first, but ${order.packageInit} runs before it (${order.before})`,
        `if the package only runs as this program (not a library other apps import), wire its __init__: npx ez-pixel uninstall && npx ez-pixel install --entry ${order.packageInit}`,
      );
    case 'missing':
      return fail('load-order', `${wiring.entry} does not load ${wiring.specifier}`, `add "${paste}" at the top of ${wiring.entry}, or run npx ez-pixel install`);
    case 'unparseable':
      return fail('load-order', `${wiring.entry} does not parse: ${order.reason}`, `fix the syntax error in ${wiring.entry}`);
  }
}

/** Production configuration that must not carry a pk_test_ key. */
const PRODUCTION_ENV_FILES = ['.env.production', '.env.production.local', '.env.prod'];

export async function checkKeyConsistency(context: DoctorContext): Promise<Check> {
  const { project, wiring, initSettings, env, options } = context;
  const variable = context.variables.key;
  const sources: [string, string | null | undefined][] = [
    [wiring.initFile, initSettings.projectKey],
    ['.env', env.projectKey],
    ['--key', options.key],
  ];
  const present = sources.filter((entry): entry is [string, string] => typeof entry[1] === 'string');
  if (present.length === 0) return fail('key', 'no project key is configured', 'npx ez-pixel install');
  const distinct = new Set(present.map(([, key]) => key));
  if (distinct.size > 1) {
    const listing = present.map(([where, key]) => `${where}: ${key.slice(0, 12)}…`).join(', ');
    return fail('key', `the project keys disagree (${listing})`, `npx ez-pixel install --key <the right key>, or edit ${variable} in .env`);
  }
  const [key] = distinct as Set<string>;
  for (const file of PRODUCTION_ENV_FILES) {
    const productionKey = readEnvVariable(await readText(join(project.root, file)), variable)?.value;
    if (productionKey?.startsWith('pk_test_')) {
      return warn('key', `${file} uses a test key (${productionKey.slice(0, 12)}…)`, `set ${variable} in ${file} to a pk_live_ key`);
    }
  }
  if (key?.startsWith('pk_test_')) {
    return warn('key', `${wiring.initFile} falls back to a test key, which production would use when ${variable} is unset`, `set ${variable} in production, or npx ez-pixel install --key pk_live_…`);
  }
  return pass('key', `${present.map(([where]) => where).join(', ')} agree on ${key?.slice(0, 12)}…`);
}
