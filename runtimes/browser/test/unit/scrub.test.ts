// Every case of spec/scrub-vectors.json through the browser SDK's scrubber, and the JSON copy of
// the context the same walk makes, with scrubbing on or off.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cleanEvent } from '../../src/scrub.js';

interface Case<T> { name: string; input: T; expected: T }
const vectors = JSON.parse(readFileSync(fileURLToPath(new URL('../../../../spec/scrub-vectors.json', import.meta.url)), 'utf8')) as {
  texts: Case<string>[];
  contexts: Case<Record<string, unknown>>[];
  events: Case<{ message: string; cause?: { message: string }[]; context?: Record<string, unknown> }>[];
};
/** Compare what the walk makes as JSON data. */
const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
const clean = <T extends { message: string; context?: unknown }>(event: T, scrub = true) => (cleanEvent(event, scrub), event);
const scrubText = (text: string) => clean({ message: text }).message;
const scrubValue = (context: unknown) => clean({ message: '', context }).context;

describe('scrub vectors', () => {
  for (const c of vectors.texts) it(`text: ${c.name}`, () => expect(scrubText(c.input)).toBe(c.expected));
  for (const c of vectors.contexts) it(`context: ${c.name}`, () => expect(plain(scrubValue(c.input))).toEqual(c.expected));
  for (const c of vectors.events) {
    it(`event: ${c.name}`, () => {
      expect(plain(clean(structuredClone(c.input)))).toEqual(c.expected);
    });
  }
  it('keeps a __proto__ key as data', () => {
    const scrubbed = scrubValue(JSON.parse('{"__proto__": {"token": "t"}}')) as Record<string, unknown>;
    expect(Object.keys(scrubbed)).toEqual(['__proto__']);
    expect(JSON.stringify(scrubbed)).toBe('{"__proto__":{"token":"[scrubbed]"}}');
  });
});

describe('the context copied as JSON data', () => {
  it('cycles and repeats become "[cycle]", BigInts strings, a Date its JSON; the caller\'s object is not changed', () => {
    const shared = { n: 1 };
    const context: Record<string, unknown> = { big: 12n, at: new Date('2026-12-01T12:00:00Z'), a: shared, b: shared, mail: 'ann@example.com' };
    context.self = context;
    for (const scrub of [true, false]) {
      const { context: copy } = clean({ message: '', context }, scrub);
      expect(plain(copy)).toEqual({ big: '12', at: '2026-12-01T12:00:00.000Z', a: { n: 1 }, b: '[cycle]', mail: scrub ? '[scrubbed]' : 'ann@example.com', self: '[cycle]' });
    }
    expect(context.self).toBe(context);
  });
  it('with scrub off, sensitive keys, addresses and deep containers are kept', () => {
    let deep: Record<string, unknown> = {};
    const root = { token: 't', 'ann@example.com': 1, deep };
    for (let i = 0; i < 70; i++) deep = deep.d = {};
    const event = clean({ message: 'for ann@example.com', cause: [{ message: 'bob@example.com' }], context: root }, false);
    expect(plain(event)).toEqual(plain({ message: 'for ann@example.com', cause: [{ message: 'bob@example.com' }], context: root }));
  });
});
