/**
 * `.env` and the init must not disagree about where events go. The Node init reads EZ_PIXEL_*
 * from .env before its own fallback (so .env wins); an init without that reader ignores .env when
 * the app loads it after the init. Either way a disagreement is a wiring nobody meant: fail.
 */
import { fail, pass, type Check } from './check.js';
import type { DoctorContext } from './context.js';

export function checkEnvAgreement(context: DoctorContext): Check {
  const { wiring, initSettings, env } = context;
  const variable = context.variables.url;
  if (env.ingestUrl === null) return pass('env', `.env does not set ${variable}; ${wiring.initFile}'s URL applies`);
  if (initSettings.ingestUrl === undefined || env.ingestUrl === initSettings.ingestUrl) {
    return pass('env', `.env and ${wiring.initFile} agree on ${env.ingestUrl}`);
  }
  const effect = context.readsDotenv
    ? `the app sends to .env's (the init reads .env first)`
    : `an app that loads .env after the init never uses .env's value`;
  return fail(
    'env',
    `.env sets ${variable}=${env.ingestUrl} but ${wiring.initFile} falls back to ${initSettings.ingestUrl}; ${effect}`,
    `npx ez-pixel install --ingest-url <the one you mean> (it writes both), or fix ${variable} in .env`,
  );
}
