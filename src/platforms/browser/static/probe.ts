/**
 * doctor's probe for a static site: the site's own two files, the copied SDK and its init, run in
 * Node's vm as a page would run them (a window that is the global, a location, a document), and a
 * report sent through the SDK's own transport. Each POST carries a page's Origin header, and the
 * probe passes only when the ingest accepted the event with the key the init holds and answered
 * with CORS that lets a page of another origin read it (what a browser needs and Node's fetch
 * would not check).
 */
import { join } from 'node:path';
import type { DoctorContext } from '../../../doctor/context.js';
import type { ProbeRun } from '../../platform.js';
import { siteScripts } from './site.js';

/** A page origin other than the ingest's: the site is served from somewhere else. */
const PAGE_ORIGIN = 'http://localhost:8080';

// Run with `node -e`: process.argv is [node, sdk, init, origin]; the outcome goes where EZ_PIXEL_PROBE says.
const PROBE_SCRIPT = `
const { readFileSync, writeFileSync } = require('node:fs');
const vm = require('node:vm');
const [sdk, init, origin] = process.argv.slice(1);
const answers = [];
const events = new EventTarget();
const page = {
  console, setTimeout, clearTimeout, Blob, URL, crypto,
  navigator: { userAgent: 'ez-pixel-doctor' },
  location: { origin, pathname: '/' },
  document: Object.assign(new EventTarget(), { hidden: false }),
  addEventListener: events.addEventListener.bind(events),
  removeEventListener: events.removeEventListener.bind(events),
  fetch: (url, options) => fetch(url, { ...options, headers: { origin } }).then((response) => {
    answers.push({ status: response.status, cors: response.headers.get('access-control-allow-origin') });
    return response;
  }),
};
page.window = page;
const write = (outcome) => writeFileSync(process.env.EZ_PIXEL_PROBE, JSON.stringify(outcome));
(async () => {
  vm.createContext(page);
  vm.runInContext(readFileSync(sdk, 'utf8'), page, { filename: sdk });
  vm.runInContext(readFileSync(init, 'utf8'), page, { filename: init });
  if (!page.ezPixel) return write({ ok: false, error: sdk + ' defined no ezPixel global' });
  const id = page.ezPixel.reportPixel('ez-pixel doctor probe: the wiring works', { level: 'info' });
  if (id === null) return write({ ok: false, error: init + ' did not enable the SDK (see its console warning)' });
  await page.ezPixel.flushPixel(10000);
  const last = answers.at(-1);
  if (!last) return write({ ok: false, error: 'the SDK sent nothing' });
  if (last.status < 300 && last.cors !== '*' && last.cors !== origin) {
    return write({ ok: false, error: 'HTTP ' + last.status + ' but no Access-Control-Allow-Origin for ' + origin + ': a page on another origin cannot send to this ingest' });
  }
  write({ ok: last.status < 300, status: last.status, event_id: id });
})().catch((error) => write({ ok: false, error: String(error && error.message || error) }));
`;

export async function staticProbeRun({ project }: DoctorContext): Promise<ProbeRun> {
  const { sdk, init } = siteScripts(project.root);
  return { argv: [process.execPath, '-e', PROBE_SCRIPT, join(project.root, sdk), join(project.root, init), PAGE_ORIGIN], env: {}, cleanup: async () => {} };
}
