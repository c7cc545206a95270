// Bad input never takes the ingest down: truncated bodies, clients that vanish mid-body, oversized
// chunked bodies, floods. Each case ends by checking the server still stores and answers.
import { connect, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getJson, makeEvent, postEvent, startTestIngest, storedIds, type TestIngest } from './helpers/ingest.js';

let ingest: TestIngest;
beforeEach(async () => {
  ingest = await startTestIngest();
});
afterEach(async () => {
  await ingest.dispose();
});

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket)).on('error', reject);
  });
}

/** Everything the server sends until it closes the connection (or `ms` pass). */
function readAll(socket: Socket, ms = 5000): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const done = () => {
      clearTimeout(timer);
      resolve(text);
    };
    const timer = setTimeout(done, ms);
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('close', done).on('error', done);
  });
}

/** Gives the server a moment to see a socket close before the next check. */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 100));
}

async function stillServes(): Promise<void> {
  const event = makeEvent();
  const answer = await postEvent(ingest.url, event);
  expect(answer.status).toBe(201);
  expect((await getJson(`${ingest.origin}/health`)).status).toBe(200);
}

const head = (length: number | 'chunked') =>
  `POST /ingest HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n` +
  (length === 'chunked' ? 'transfer-encoding: chunked\r\n' : `content-length: ${length}\r\n`) +
  'connection: close\r\n\r\n';

describe('bad input', () => {
  it('drops a body cut short (the client half-closes before content-length bytes)', async () => {
    const body = JSON.stringify(makeEvent());
    const socket = await open(ingest.port);
    const reply = readAll(socket);
    socket.end(head(Buffer.byteLength(body)) + body.slice(0, body.length / 2));
    // The framing is broken, so there is nothing to answer; the server must only let go of it.
    await reply;
    await settle();
    expect((await ingest.store.totals()).events).toBe(0);
    await stillServes();
  });

  it('answers 400 to a truncated JSON body with a matching content-length', async () => {
    const body = JSON.stringify(makeEvent()).slice(0, 100);
    const socket = await open(ingest.port);
    const reply = readAll(socket);
    socket.write(head(Buffer.byteLength(body)) + body);
    expect(await reply).toMatch(/^HTTP\/1\.1 400 .*"invalid_json"/s);
    await stillServes();
  });

  it('survives a client that disconnects mid-body', async () => {
    const body = JSON.stringify(makeEvent());
    for (let i = 0; i < 20; i++) {
      const socket = await open(ingest.port);
      socket.write(head(Buffer.byteLength(body)) + body.slice(0, 50));
      await new Promise((resolve) => setTimeout(resolve, 5));
      socket.destroy();
    }
    await settle();
    expect((await ingest.store.totals()).events).toBe(0);
    await stillServes();
  });

  it('answers 413 to a chunked body that grows past 256 KiB, without reading it all', async () => {
    const socket = await open(ingest.port);
    const reply = readAll(socket);
    socket.write(head('chunked'));
    const chunk = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 5 && !socket.destroyed; i++) {
      socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    }
    expect(await reply).toMatch(/^HTTP\/1\.1 413 /);
    socket.destroy();
    await stillServes();
  });

  it('answers 413 from content-length alone, before any body arrives', async () => {
    const socket = await open(ingest.port);
    const reply = readAll(socket);
    socket.write(head(10 * 1024 * 1024));
    expect(await reply).toMatch(/^HTTP\/1\.1 413 /);
    socket.destroy();
    await stillServes();
  });

  it('answers 400 to a request line that is not HTTP, and keeps serving', async () => {
    const socket = await open(ingest.port);
    const reply = readAll(socket);
    socket.write('\x16\x03\x01 definitely not http\r\n\r\n');
    expect(await reply).toMatch(/^HTTP\/1\.1 400 /);
    await stillServes();
  });
});

describe('defects from the fault probe (issue 12)', () => {
  it('answers a client that half-closes after sending its whole request', async () => {
    const event = makeEvent();
    const body = JSON.stringify(event);
    const socket = await open(ingest.port);
    const reply = readAll(socket);
    socket.end(head(Buffer.byteLength(body)) + body);
    expect(await reply).toMatch(/^HTTP\/1\.1 201 /);
    expect(await storedIds(ingest.store)).toEqual([event.event_id]);
  });

  it('answers 400 to a request with two Host headers', async () => {
    const socket = await open(ingest.port);
    const reply = readAll(socket);
    socket.write('GET /health HTTP/1.1\r\nhost: 127.0.0.1\r\nhost: attacker.example\r\nconnection: close\r\n\r\n');
    expect(await reply).toMatch(/^HTTP\/1\.1 400 /);
    await stillServes();
  });

  it('accepts repeated x-pixel-key headers that agree, and refuses ones that do not', async () => {
    const send = async (keys: string[]) => {
      const event = makeEvent();
      const body = JSON.stringify(event);
      const socket = await open(ingest.port);
      const reply = readAll(socket);
      const headers = keys.map((key) => `x-pixel-key: ${key}\r\n`).join('');
      socket.write(head(Buffer.byteLength(body)).replace('connection: close', `${headers}connection: close`) + body);
      return reply;
    };
    expect(await send([String(makeEvent().project_key), String(makeEvent().project_key)])).toMatch(/^HTTP\/1\.1 201 /);
    expect(await send([String(makeEvent().project_key), 'pk_test_other'])).toMatch(/^HTTP\/1\.1 401 .*key_mismatch/s);
  });

  it('refuses an event nested too deep to store with 400, and its retry too: never acknowledged and lost', async () => {
    const depth = 5000;
    const event = makeEvent({ context: {} });
    const text = JSON.stringify(event).replace('"context":{}', `"context":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
    for (let attempt = 0; attempt < 2; attempt++) {
      const answer = await postEvent(ingest.url, text);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: 'invalid_event' });
      expect(String(answer.body.message)).toMatch(/nests deeper than 64 levels/);
      expect(answer.body.field).toBe(['context', ...Array<string>(63).fill('a')].join('.'));
    }
    const inArray = makeEvent({ context: { list: [JSON.parse(`${'['.repeat(70)}${']'.repeat(70)}`)] } });
    expect((await postEvent(ingest.url, inArray)).body.field).toBe(`context.list${'[0]'.repeat(62)}`);
    expect(await storedIds(ingest.store)).toEqual([]);
    const nested = makeEvent({ context: { a: { b: { c: [1, { d: 2 }] } } } });
    expect((await postEvent(ingest.url, nested)).status).toBe(201);
  });

  it('answers a POST while large reads are streaming, before they finish', async () => {
    const large = makeEvent({ context: { padding: 'x'.repeat(200 * 1024) } });
    for (let i = 0; i < 40; i++) expect((await postEvent(ingest.url, { ...large, event_id: makeEvent().event_id })).status).toBe(201);
    const finished: string[] = [];
    const reads = Array.from({ length: 6 }, (_, i) =>
      fetch(`${ingest.origin}/events?limit=1000`)
        .then((response) => response.text())
        .then((text) => {
          expect(JSON.parse(text).events.length).toBeGreaterThanOrEqual(40);
          finished.push(`read ${i}`);
        }),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    const answer = await postEvent(ingest.url, makeEvent());
    finished.push('post');
    expect(answer.status).toBe(201);
    await Promise.all(reads);
    expect(finished.indexOf('post')).toBeLessThan(finished.length - 1);
  });
});

describe('floods', () => {
  it('stores every event of 300 concurrent posts once, mixed with retries and invalid bodies', async () => {
    const events = Array.from({ length: 300 }, (_, i) =>
      makeEvent({ fingerprint: `${'0'.repeat(15)}${(i % 10).toString(16)}` }),
    );
    const requests = [
      ...events.map((event) => postEvent(ingest.url, event)),
      ...events.slice(0, 50).map((event) => postEvent(ingest.url, event)),
      ...Array.from({ length: 50 }, () => postEvent(ingest.url, '{"not": "an event"}')),
    ];
    const answers = await Promise.all(requests);
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(300);
    expect(statuses.filter((s) => s === 200)).toHaveLength(50);
    expect(statuses.filter((s) => s === 400)).toHaveLength(50);

    const stored = await storedIds(ingest.store);
    expect(new Set(stored)).toEqual(new Set(events.map((event) => event.event_id)));
    expect(stored).toHaveLength(300);
    // Ten groups of thirty, and exactly one new_group per group.
    expect(answers.slice(0, 300).filter((a) => a.body.new_group === true)).toHaveLength(10);
    expect((await ingest.store.totals()).groups).toBe(10);
    await stillServes();
  });
});
