// spec/scrubbing.md: every vector of spec/scrub-vectors.json, then the default in a real process
// (on unless `scrub: false`), before the fingerprint and before beforeSend.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeApp } from './helpers/child-app.js';
import { cjsEntry } from './helpers/build.js';
import { useIngestServer } from './helpers/ingest-server.js';
import { scrubContext, scrubEvent, scrubText } from '../src/scrub.js';

type Vector<T> = { name: string; input: T; expected: T };
const vectors = JSON.parse(readFileSync(fileURLToPath(new URL('../../../spec/scrub-vectors.json', import.meta.url)), 'utf8')) as {
  texts: Vector<string>[];
  contexts: Vector<Record<string, unknown>>[];
  events: Vector<Record<string, any>>[];
};

function scrubFragment(fragment: Record<string, any>): Record<string, any> {
  const out = structuredClone(fragment);
  scrubEvent(out);
  return out;
}

describe('scrub vectors', () => {
  it('has vectors of every kind', () => {
    expect(vectors.texts.length).toBeGreaterThan(10);
    expect(vectors.contexts.length).toBeGreaterThan(8);
    expect(vectors.events.length).toBeGreaterThan(2);
  });
  for (const v of vectors.texts) it(`text: ${v.name}`, () => expect(scrubText(v.input)).toBe(v.expected));
  it('finds exactly what the spec pattern replaces, on 20,000 random texts (it runs the pattern only near a possible domain)', () => {
    const pattern = /[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,63}/g;
    const pieces = ['a', 'b', 'Z', '1', '.', '-', '@', ' ', '_', '%', 'é', 'co', '.com', 'x'.repeat(70), '@@'];
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let n = 0; n < 20_000; n++) {
      let text = '';
      for (let i = 1 + Math.floor(random() * 30); i > 0; i--) text += pieces[Math.floor(random() * pieces.length)];
      expect(scrubText(text), JSON.stringify(text)).toBe(text.replace(pattern, '[scrubbed]'));
    }
  });
  for (const v of vectors.contexts) it(`context: ${v.name}`, () => expect(scrubContext(v.input)).toStrictEqual(v.expected));
  for (const v of vectors.events) it(`event: ${v.name}`, () => expect(scrubFragment(v.input)).toStrictEqual(v.expected));
});

const ingest = useIngestServer();

async function report(options: string) {
  const app = makeApp();
  const before = ingest().received.length;
  const script = app.write('app.js', `const pixel = require(${JSON.stringify(cjsEntry)});
pixel.initPixel({ projectKey: 'pk_test_scrub', ingestUrl: process.env.INGEST, ${options} });
const error = new Error('duplicate key (email)=(jane.doe@corp.example.com)', { cause: new Error('for jane.doe@corp.example.com') });
pixel.reportPixel('signup failed', { error, context: { request: { method: 'POST', path: '/signup', headers: { Authorization: 'Bearer abc', cookie: 'sid=1' } }, user: 'jane.doe@corp.example.com', api_key: 'k-123' } });
pixel.reportPixel('no user ann@example.com');
pixel.reportPixel('no user bob@example.org');
`);
  const result = await app.run(script, { env: { INGEST: ingest().url } });
  expect(result.stderr).toBe('');
  const events = ingest().events.slice(before);
  return { error: events.find((e) => e.type === 'Error')!, messages: events.filter((e) => e.type === 'Message') };
}

describe('the default scrubber in a real process', () => {
  it('scrubs messages, causes and context by default, and groups reports that differ only by an address', async () => {
    const { error, messages } = await report('');
    expect(error.message).toBe('duplicate key (email)=([scrubbed])');
    expect(error.cause[0].message).toBe('for [scrubbed]');
    expect(error.context).toEqual({
      request: { method: 'POST', path: '/signup', headers: { Authorization: '[scrubbed]', cookie: '[scrubbed]' } },
      user: '[scrubbed]',
      api_key: '[scrubbed]',
      report_message: 'signup failed',
    });
    expect(messages.map((m) => m.message)).toEqual(['no user [scrubbed]', 'no user [scrubbed]']);
    expect(messages[0].fingerprint).toBe(messages[1].fingerprint);
  });

  it('runs before beforeSend, which sees the scrubbed event and may add what it likes', async () => {
    const { error } = await report(`beforeSend(event) { if (!event.context) return event; event.context.seen = event.context.user; event.context.token = 'added by the hook'; return event; }`);
    expect(error.context).toMatchObject({ seen: '[scrubbed]', token: 'added by the hook' });
  });

  it('sends everything as given with scrub: false', async () => {
    const { error, messages } = await report('scrub: false');
    expect(error.message).toBe('duplicate key (email)=(jane.doe@corp.example.com)');
    expect(error.context).toMatchObject({ user: 'jane.doe@corp.example.com', api_key: 'k-123', request: { headers: { Authorization: 'Bearer abc' } } });
    expect(messages.map((m) => m.message).sort()).toEqual(['no user ann@example.com', 'no user bob@example.org']);
    expect(messages[0].fingerprint).not.toBe(messages[1].fingerprint);
  });
});
