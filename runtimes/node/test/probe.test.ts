// The doctor probe (EZ_PIXEL_PROBE), whose result file format is shared with the Python SDK.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeApp } from './helpers/child-app.js';
import { cjsEntry } from './helpers/build.js';
import { refusingUrl, useIngestServer } from './helpers/ingest-server.js';

const ingest = useIngestServer();

/** Runs an init file as `ez-pixel doctor` does and returns the probe result it wrote. */
async function probe(init: string, env: Record<string, string> = {}) {
  const app = makeApp();
  const path = join(app.dir, 'probe-result.json');
  const before = ingest().received.length;
  const result = await app.run(app.write('instrument.js', `const { initPixel } = require(${JSON.stringify(cjsEntry)});\n${init}\n`), {
    env: { INGEST: ingest().url, EZ_PIXEL_PROBE: path, EZ_PIXEL_BACKOFF_SCALE: '0.05', ...env },
  });
  expect(result.code).toBe(0);
  return { written: JSON.parse(readFileSync(path, 'utf8')), events: ingest().events.slice(before), stdout: result.stdout };
}

const init = `initPixel({ projectKey: 'pk_test_probe', ingestUrl: process.env.INGEST });`;

describe('doctor probe', () => {
  it('sends one info message, waits for its delivery and writes the outcome', async () => {
    const { written, events } = await probe(init);
    expect(written).toEqual({ ok: true, status: 200, event_id: events[0]!.event_id, error: null, sdk: 'ez-pixel-node/0.2.0' });
    expect(events).toEqual([expect.objectContaining({ type: 'Message', message: 'ez-pixel doctor probe: the wiring works', level: 'info', manual_report: true })]);
    expect(ingest().invalid).toEqual([]);
  });

  it('writes the refusal when the ingest refuses the key', async () => {
    ingest().reply({ status: 401, body: '{"error":"unknown project key"}' });
    const { written } = await probe(init);
    expect(written).toMatchObject({ ok: false, status: 401, error: 'HTTP 401: {"error":"unknown project key"}', sdk: 'ez-pixel-node/0.2.0' });
  });

  it('writes the network error when the ingest is unreachable', async () => {
    const { written } = await probe(init, { INGEST: await refusingUrl() });
    expect(written).toMatchObject({ ok: false, status: null, error: 'ECONNREFUSED' });
  });

  it('writes why nothing was sent when disabled or misconfigured', async () => {
    expect((await probe(init, { EZ_PIXEL_DISABLED: '1' })).written).toEqual({ ok: false, error: 'disabled by EZ_PIXEL_DISABLED=1' });
    const bad = await probe(`initPixel({ projectKey: 'nope', ingestUrl: process.env.INGEST });`);
    expect(bad.written.ok).toBe(false);
    expect(bad.written.error).toMatch(/project key/);
    expect(bad.events).toEqual([]);
  });
});
