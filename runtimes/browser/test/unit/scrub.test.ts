// Every case of spec/scrub-vectors.json through the browser SDK's scrubber.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scrubEvent, scrubText, scrubValue } from '../../src/scrub.js';

interface Case<T> { name: string; input: T; expected: T }
const vectors = JSON.parse(readFileSync(fileURLToPath(new URL('../../../../spec/scrub-vectors.json', import.meta.url)), 'utf8')) as {
  texts: Case<string>[];
  contexts: Case<Record<string, unknown>>[];
  events: Case<{ message: string; cause?: { message: string }[]; context?: Record<string, unknown> }>[];
};
/** The scrubber makes prototype-less objects; compare them as JSON data. */
const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

describe('scrub vectors', () => {
  for (const c of vectors.texts) it(`text: ${c.name}`, () => expect(scrubText(c.input)).toBe(c.expected));
  for (const c of vectors.contexts) it(`context: ${c.name}`, () => expect(plain(scrubValue(c.input, 1))).toEqual(c.expected));
  for (const c of vectors.events) {
    it(`event: ${c.name}`, () => {
      const event = structuredClone(c.input);
      scrubEvent(event);
      expect(plain(event)).toEqual(c.expected);
    });
  }
  it('keeps a __proto__ key as data', () => {
    const scrubbed = scrubValue(JSON.parse('{"__proto__": {"token": "t"}}'), 1) as Record<string, unknown>;
    expect(Object.keys(scrubbed)).toEqual(['__proto__']);
    expect(JSON.stringify(scrubbed)).toBe('{"__proto__":{"token":"[scrubbed]"}}');
  });
});
