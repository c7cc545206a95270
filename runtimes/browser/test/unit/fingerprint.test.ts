// Every vector of spec/fingerprint-vectors.json through the browser SDK's own key and its
// plain-JavaScript SHA-256 (no crypto.subtle), and that SHA-256 against node:crypto.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fingerprint, fingerprintKey, type FingerprintInput } from '../../src/fingerprint.js';
import { sha256Hex } from '../../src/sha256.js';

const file = JSON.parse(readFileSync(fileURLToPath(new URL('../../../../spec/fingerprint-vectors.json', import.meta.url)), 'utf8')) as {
  vectors: { name: string; input: FingerprintInput & { frames_sent?: number }; key: string; fingerprint: string }[];
  well_formed: { name: string; code_points: number[]; well_formed: string; runtimes?: string[] }[];
};

describe('fingerprint vectors', () => {
  it('has vectors to check', () => expect(file.vectors.length).toBeGreaterThan(20));
  for (const vector of file.vectors) {
    it(vector.name, () => {
      const { frames_sent: kept, ...input } = vector.input;
      if (kept !== undefined) input.frames = input.frames.slice(0, kept);
      expect(fingerprintKey(input)).toBe(vector.key);
      expect(fingerprint(input)).toBe(vector.fingerprint);
    });
  }
  for (const vector of file.well_formed.filter((v) => !v.runtimes || v.runtimes.includes('node'))) {
    it(`well formed: ${vector.name}`, () => {
      const asMessage = { kind: 'message' as const, type: 'Message', frames: [], logger: null };
      const text = String.fromCodePoint(...vector.code_points);
      expect(fingerprint({ ...asMessage, message: text })).toBe(fingerprint({ ...asMessage, message: vector.well_formed }));
    });
  }
});

describe('sha256Hex', () => {
  it('matches node:crypto at every length around the block boundaries, and on random data', () => {
    const lengths = [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 1000, 4099];
    for (const length of lengths) {
      const bytes = new Uint8Array(randomBytes(length));
      expect(sha256Hex(bytes), `length ${length}`).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });
  it('gives the FIPS 180-2 digest of "abc"', () => {
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
