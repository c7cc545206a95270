// Every vector in spec/fingerprint-vectors.json, key and fingerprint, byte for byte.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as fp from '../src/fingerprint.js';

const vectors = JSON.parse(readFileSync(fileURLToPath(new URL('../../../spec/fingerprint-vectors.json', import.meta.url)), 'utf8')).vectors as {
  name: string;
  input: any;
  key: string;
  fingerprint: string;
}[];


describe('fingerprint vectors', () => {
  it('has vectors to check', () => expect(vectors.length).toBeGreaterThan(20));
  for (const vector of vectors) {
    it(vector.name, () => {
      expect(fp.fingerprintKey(vector.input)).toBe(vector.key);
      expect(fp.fingerprint(vector.input)).toBe(vector.fingerprint);
    });
  }
  it('strips only tab, LF, VT, FF, CR and space', () => {
    expect(fp.strip('\t\n\v\f\r x \r\n')).toBe('x');
    expect(fp.strip('\u00a0x\u2003')).toBe('\u00a0x\u2003');
  });
});
