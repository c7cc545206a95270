/**
 * doctor's probe for a browser app. A page cannot be started from the terminal, so this node
 * process sends what the page's SDK would: one event with the key and URL the build inlines,
 * as the same CORS "simple" request (text/plain, no custom header) from the page's origin, and
 * checks that the ingest accepts it and lets that origin read the answer (without that the page's
 * fetch fails and retries). The outcome goes to EZ_PIXEL_PROBE's file, as the SDKs' own probes do.
 */
import type { DoctorContext } from '../../../doctor/context.js';
import { version } from '../../../version.js';
import type { ProbeRun } from '../../platform.js';

/** `vite preview`'s address: the origin a built page is first opened from. */
export const PREVIEW_ORIGIN = 'http://localhost:4173';

// Static code; every value reaches it through the environment.
const PROBE_SCRIPT = `
import { writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
const { EZ_PIXEL_PROBE: out, EZ_PIXEL_PROJECT_KEY: key, EZ_PIXEL_INGEST_URL: url, EZ_PIXEL_PROBE_ORIGIN: origin, EZ_PIXEL_PROBE_SDK: sdk } = process.env;
const event = {
  event_id: randomUUID(), project_key: key, type: 'Message', message: 'ez-pixel doctor probe: the wiring works', stack: [], code_context: null,
  runtime: 'browser-doctor-probe', manual_report: true, level: 'info', occurred_at: new Date().toISOString(),
  sdk: { name: 'ez-pixel-browser', version: sdk }, context: { page: origin + '/' },
};
let result;
try {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8', origin }, body: JSON.stringify(event), signal: AbortSignal.timeout(10000) });
  const allowed = response.headers.get('access-control-allow-origin');
  result = allowed === '*' || allowed === origin
    ? { ok: response.ok, status: response.status, event_id: event.event_id, error: null }
    : { ok: false, status: null, event_id: event.event_id, error: 'HTTP ' + response.status + ', and the ingest does not let ' + origin + ' read it (Access-Control-Allow-Origin: ' + (allowed ?? 'none') + '), so the page retries every event' };
} catch (error) {
  result = { ok: false, status: null, event_id: event.event_id, error: String(error?.cause?.message ?? error?.message ?? error) };
}
writeFileSync(out, JSON.stringify(result));
`;

export async function browserProbeRun(context: DoctorContext): Promise<ProbeRun> {
  // What the build inlines: .env's VITE_EZ_PIXEL_* when set, else the init's fallback values.
  const projectKey = context.env.projectKey ?? context.initSettings.projectKey ?? '';
  const env = { EZ_PIXEL_PROJECT_KEY: projectKey, EZ_PIXEL_INGEST_URL: context.ingestUrl ?? '', EZ_PIXEL_PROBE_ORIGIN: PREVIEW_ORIGIN, EZ_PIXEL_PROBE_SDK: version };
  return { argv: [process.execPath, '--input-type=module', '-e', PROBE_SCRIPT], env, cleanup: async () => {} };
}
