// The ingest's HTTP contract, against a real server on 127.0.0.1 with a real store on disk.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startIngestServer, type IngestServer } from '../src/ingest/server.js';
import { getJson, makeEvent, postEvent, startTestIngest, storedIds, testKey, type TestIngest } from './helpers/ingest.js';

const spec = fileURLToPath(new URL('../spec/events/', import.meta.url));

/** The field each invalid example must be refused for (its file name says why). */
const expectedField: Record<string, string> = {
  'cause-bad-relation.json': 'cause[0].relation',
  'event_id-not-uuid4.json': 'event_id',
  'fingerprint-too-short.json': 'fingerprint',
  'fingerprint-uppercase.json': 'fingerprint',
  'level-unknown.json': 'level',
  'manual_report-string.json': 'manual_report',
  'missing-code_context.json': 'code_context',
  'missing-event_id.json': 'event_id',
  'missing-fingerprint-not-browser.json': 'fingerprint',
  'not-an-object.json': '',
  'occurred_at-not-utc.json': 'occurred_at',
  'project_key-bad-prefix.json': 'project_key',
  'runtime-empty.json': 'runtime',
  'stack-frame-line-string.json': 'stack[0].line',
  'stack-frame-missing-in_app.json': 'stack[0].in_app',
  'stack-not-array.json': 'stack',
  'type-empty.json': 'type',
  'unknown-top-level-field.json': 'user',
};

/** GET /events with a chosen Host header (fetch would not let a test set it). */
function getEventsStatus(origin: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(`${origin}/events`, { headers: { host } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

let ingest: TestIngest;
beforeEach(async () => {
  ingest = await startTestIngest();
});
afterEach(async () => {
  await ingest.dispose();
});

describe('POST /ingest', () => {
  it('binds 127.0.0.1 on a free port and names the ingest URL', () => {
    expect(ingest.host).toBe('127.0.0.1');
    expect(ingest.port).toBeGreaterThan(0);
    expect(ingest.url).toBe(`http://127.0.0.1:${ingest.port}/ingest`);
  });

  it('stores a valid event and answers {id, fingerprint, new_group}', async () => {
    const event = makeEvent();
    const answer = await postEvent(ingest.url, event);
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({ id: event.event_id, fingerprint: event.fingerprint, new_group: true });
    // CORS headers go only to a page's request, which carries an Origin (below, and the sendBeacon case).
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    expect((await ingest.store.listEvents({ limit: 10 })).map((row) => JSON.parse(row.json.toString()))).toEqual([event]);
    expect(ingest.accepted).toHaveLength(1);
    expect(ingest.accepted[0]!.result).toMatchObject({ groupCount: 1, newGroup: true, duplicate: false });
  });

  it('reads events back byte for byte, non-ASCII text included, across pages and in the issue view', async () => {
    const events = Array.from({ length: 40 }, (_, i) => makeEvent({ message: `Ünïcödé ${i} 😀 \u2028 "quoted"`, context: { text: 'é'.repeat(i * 100) } }));
    for (const event of events) expect((await postEvent(ingest.url, event)).status).toBe(201);
    const listed = await getJson(`${ingest.origin}/events?limit=1000`);
    expect(listed.body.events).toEqual([...events].reverse());
    const issue = await getJson(`${ingest.origin}/api/issues/${ingest.accepted[0]!.result.issueId}`);
    expect(issue.body.latest).toEqual(events.at(-1));
  });

  it('accepts every spec/events/valid example', async () => {
    for (const name of readdirSync(join(spec, 'valid'))) {
      const answer = await postEvent(ingest.url, readFileSync(join(spec, 'valid', name), 'utf8'));
      expect(answer.status, name).toBe(201);
    }
  });

  it('groups by fingerprint: new_group only for the first event of a group', async () => {
    const first = await postEvent(ingest.url, makeEvent({ fingerprint: 'aaaaaaaaaaaaaaaa' }));
    const second = await postEvent(ingest.url, makeEvent({ fingerprint: 'aaaaaaaaaaaaaaaa' }));
    const other = await postEvent(ingest.url, makeEvent({ fingerprint: 'bbbbbbbbbbbbbbbb' }));
    expect([first.body.new_group, second.body.new_group, other.body.new_group]).toEqual([true, false, true]);
    expect(ingest.accepted.map((a) => a.result.groupCount)).toEqual([1, 2, 1]);
  });

  it.each(Object.entries(expectedField))('answers 400 naming the field for invalid/%s', async (name, field) => {
    const answer = await postEvent(ingest.url, readFileSync(join(spec, 'invalid', name), 'utf8'));
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: 'invalid_event', field });
    expect(String(answer.body.message)).toContain(field === '' ? 'the event' : field);
  });

  it('has a field expectation for every invalid example', () => {
    expect(readdirSync(join(spec, 'invalid')).sort()).toEqual(Object.keys(expectedField).sort());
  });

  it('names the deepest field inside code_context', async () => {
    const event = makeEvent({ code_context: { file: 'a.py', error_line: 1, lines: [3] } });
    const answer = await postEvent(ingest.url, event);
    expect(answer.status).toBe(400);
    expect(answer.body.field).toBe('code_context.lines[0]');
  });

  it('answers 400 for invalid JSON and for bytes that are not UTF-8', async () => {
    const broken = await postEvent(ingest.url, '{"event_id": ');
    expect(broken.status).toBe(400);
    expect(broken.body.error).toBe('invalid_json');
    const latin1 = await postEvent(ingest.url, new Uint8Array([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d]));
    expect(latin1.status).toBe(400);
    expect(latin1.body.error).toBe('invalid_json');
  });

  it('answers 415 for a body that is not application/json or text/plain, and accepts a UTF-8 charset', async () => {
    for (const type of ['text/html', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'text/plain; charset=latin1']) {
      const answer = await postEvent(ingest.url, makeEvent(), { 'content-type': type });
      expect(answer.status, type).toBe(415);
    }
    const missing = await fetch(ingest.url, { method: 'POST', body: new Uint8Array([0x7b, 0x7d]) });
    expect(missing.status).toBe(415);
    const charset = await postEvent(ingest.url, makeEvent(), { 'content-type': 'Application/JSON; charset=UTF-8' });
    expect(charset.status).toBe(201);
  });

  it('stores the body as it was sent, byte for byte, when the event needs nothing added', async () => {
    const event = makeEvent({ message: 'déjà vu \u2028', context: { nested: { n: 1.5 } } });
    const text = JSON.stringify(event, null, 2);
    expect((await postEvent(ingest.url, text)).status).toBe(201);
    const stored = (await ingest.store.listEvents({ limit: 100 })).find((row) => JSON.parse(row.json.toString()).event_id === event.event_id);
    expect(stored!.json.toString()).toBe(text);
  });

  it('accepts the JSON body navigator.sendBeacon sends as text/plain, without an x-pixel-key header', async () => {
    const event = makeEvent();
    const response = await fetch(ingest.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin: 'http://localhost:3000' },
      body: JSON.stringify(event),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(await storedIds(ingest.store)).toEqual([event.event_id]);
  });

  it('answers 413 above 256 KiB and accepts a body of exactly 256 KiB', async () => {
    const event = makeEvent({ context: { padding: '' } });
    const overhead = JSON.stringify(event).length;
    const atLimit = JSON.stringify(makeEvent({ ...event, context: { padding: 'x'.repeat(256 * 1024 - overhead) } }));
    expect(Buffer.byteLength(atLimit)).toBe(256 * 1024);
    expect((await postEvent(ingest.url, atLimit)).status).toBe(201);

    const over = await postEvent(ingest.url, makeEvent({ context: { padding: 'x'.repeat(256 * 1024) } }));
    expect(over.status).toBe(413);
    expect(over.body.error).toBe('too_large');
    expect(await storedIds(ingest.store)).toHaveLength(1);
  });

  it('answers 401 when the x-pixel-key header disagrees with the body', async () => {
    const answer = await postEvent(ingest.url, makeEvent(), { 'x-pixel-key': 'pk_test_someoneelse' });
    expect(answer.status).toBe(401);
    expect(answer.body.error).toBe('key_mismatch');
    expect((await ingest.store.totals()).events).toBe(0);
  });

  it('is idempotent on event_id: a retry answers the same and is stored once', async () => {
    const event = makeEvent();
    const first = await postEvent(ingest.url, event);
    const retry = await postEvent(ingest.url, event);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(await storedIds(ingest.store)).toEqual([event.event_id]);
    expect(ingest.accepted).toHaveLength(1);
  });

  it('stores concurrent copies of one event once', async () => {
    const event = makeEvent();
    const answers = await Promise.all(Array.from({ length: 20 }, () => postEvent(ingest.url, event)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(19);
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(await storedIds(ingest.store)).toEqual([event.event_id]);
  });

  it('answers a CORS preflight', async () => {
    const response = await fetch(ingest.url, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:3000',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, x-pixel-key',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type, x-pixel-key');
  });
});

describe('with --keys', () => {
  it('answers 401 for a key that is not listed, and accepts a listed one', async () => {
    const guarded = await startTestIngest({ keys: [testKey, 'pk_live_other'] });
    try {
      const refused = await postEvent(guarded.url, makeEvent({ project_key: 'pk_live_notlisted' }));
      expect(refused.status).toBe(401);
      expect(refused.body.error).toBe('unknown_key');
      const accepted = await postEvent(guarded.url, makeEvent());
      expect(accepted.status).toBe(201);
      expect((await guarded.store.totals()).events).toBe(1);
    } finally {
      await guarded.dispose();
    }
  });
});

describe('GET /events and /health', () => {
  it('lists stored events newest first, filtered by fingerprint and cut to limit', async () => {
    const a = [1, 2, 3].map(() => makeEvent({ fingerprint: 'aaaaaaaaaaaaaaaa' }));
    const b = [1, 2].map(() => makeEvent({ fingerprint: 'bbbbbbbbbbbbbbbb' }));
    for (const event of [a[0], b[0], a[1], b[1], a[2]]) expect((await postEvent(ingest.url, event)).status).toBe(201);

    const all = await getJson(`${ingest.origin}/events`);
    expect(all.status).toBe(200);
    expect((all.body.events as { event_id: string }[]).map((e) => e.event_id)).toEqual(
      [a[0], b[0], a[1], b[1], a[2]].map((e) => e!.event_id).reverse(),
    );
    const group = await getJson(`${ingest.origin}/events?fingerprint=aaaaaaaaaaaaaaaa&limit=2`);
    expect(group.body.events).toEqual([a[2], a[1]]);
    const none = await getJson(`${ingest.origin}/events?fingerprint=cccccccccccccccc`);
    expect(none.body.events).toEqual([]);
    expect(all.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a bad limit or fingerprint with 400 naming the parameter', async () => {
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=100000', 'limit'],
      ['fingerprint=XYZ', 'fingerprint'],
    ]) {
      const answer = await getJson(`${ingest.origin}/events?${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.body.field).toBe(field);
    }
  });

  it('refuses /events to a Host that is not loopback (DNS rebinding)', async () => {
    expect(await getEventsStatus(ingest.origin, 'attacker.example:8765')).toBe(403);
  });

  it('serves /events to every loopback spelling of the Host header', async () => {
    for (const host of [`127.0.0.1:${ingest.port}`, '127.0.0.2', `LocalHost:${ingest.port}`, 'localhost.', `[::1]:${ingest.port}`]) {
      expect(await getEventsStatus(ingest.origin, host), host).toBe(200);
    }
  });

  it('answers /health with the store totals', async () => {
    await postEvent(ingest.url, makeEvent());
    const health = await getJson(`${ingest.origin}/health`);
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok', events: 1, groups: 1 });
  });
});

describe('GET /events on an ingest bound to every interface (0.0.0.0)', () => {
  let dir: string;
  let open: IngestServer;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ez-pixel-ingest-'));
    open = await startIngestServer({ host: '0.0.0.0', port: 0, database: join(dir, 'events.db') });
  });
  afterEach(async () => {
    await open.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('still refuses a non-loopback Host, even from this machine', async () => {
    const viaLoopback = `http://127.0.0.1:${open.port}`;
    expect(await getEventsStatus(viaLoopback, 'attacker.example')).toBe(403);
    expect(await getEventsStatus(viaLoopback, `192.0.2.7:${open.port}`)).toBe(403);
    expect(await getEventsStatus(viaLoopback, `localhost:${open.port}`)).toBe(200);
  });

  // Connecting to this machine's own LAN address stays inside the kernel, but the peer address is
  // not loopback: it stands for another machine, which can claim any Host it likes.
  const lanAddress = Object.values(networkInterfaces())
    .flat()
    .find((info) => info?.family === 'IPv4' && !info.internal)?.address;
  it.skipIf(lanAddress === undefined)('refuses a loopback Host from a peer that is not loopback, yet takes its events', async () => {
    const viaLan = `http://${lanAddress}:${open.port}`;
    expect(await getEventsStatus(viaLan, `localhost:${open.port}`)).toBe(403);
    expect((await postEvent(`${viaLan}/ingest`, makeEvent())).status).toBe(201);
  });
});

describe('routing', () => {
  it('answers 404 for unknown paths and 405 (with Allow) for wrong methods', async () => {
    expect((await getJson(`${ingest.origin}/nope`)).status).toBe(404);
    expect((await getJson(`${ingest.origin}/ingest/extra`)).status).toBe(404);
    const get = await getJson(ingest.url);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST, OPTIONS');
    const post = await fetch(`${ingest.origin}/health`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
    const del = await fetch(`${ingest.origin}/events`, { method: 'DELETE' });
    expect(del.status).toBe(405);
  });
});
