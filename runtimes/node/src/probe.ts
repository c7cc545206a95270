// The doctor probe, shared with the Python SDK: with EZ_PIXEL_PROBE=<path> set at init, send
// one info event, wait for its delivery (at most 10 s) and write the outcome to <path> as one
// JSON object. `ez-pixel doctor` runs the project's init file this way to prove the wiring.
import { renameSync, writeFileSync } from 'node:fs';
import { debug } from './diagnostics.js';
import type { PixelClient } from './pixel-client.js';
import { USER_AGENT } from './version.js';

export const PROBE_MESSAGE = 'ez-pixel doctor probe: the wiring works';
const PROBE_TIMEOUT_MS = 10_000;

export interface ProbeResult {
  ok: boolean;
  status: number | null;
  event_id: string;
  error: string | null;
  sdk: string;
}

/** For a disabled SDK or a malformed key/URL: nothing was sent. */
export function writeProbeFailure(path: string, why: string): void {
  writeProbeFile(path, { ok: false, error: why });
}

export function runProbe(client: PixelClient, path: string): void {
  const event = client.buildNow({ kind: 'message', message: PROBE_MESSAGE, level: 'info', manual: true, timestamp: Date.now(), callSite: new Error() });
  let written = false;
  const finish = (result: Omit<ProbeResult, 'event_id' | 'sdk'>) => {
    if (written) return;
    written = true;
    clearTimeout(deadline);
    writeProbeFile(path, { ...result, event_id: event.event_id, sdk: USER_AGENT } satisfies ProbeResult);
  };
  // Not unref'd: the process must live until the outcome is written.
  const deadline = setTimeout(() => finish({ ok: false, status: null, error: `no answer from the ingest within ${PROBE_TIMEOUT_MS / 1000} s` }), PROBE_TIMEOUT_MS);
  const queued = client.enqueue(event, (settled) =>
    finish(settled.ok ? { ok: true, status: settled.status, error: null } : { ok: false, status: settled.status, error: settled.error }),
  );
  if (!queued) finish({ ok: false, status: null, error: 'the event queue is full' });
}

function writeProbeFile(path: string, result: object): void {
  try {
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(result)}\n`);
    renameSync(temp, path);
  } catch (error) {
    debug(`could not write the probe result to ${path}`, error);
  }
}
