// Every vector in spec/fingerprint-vectors.json, key and fingerprint, byte for byte; then, in a
// real process, the fingerprint of an event whose frames were cut is that of the frames sent.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as fp from '../src/fingerprint.js';
import { makeApp } from './helpers/child-app.js';
import { cjsEntry } from './helpers/build.js';
import { useIngestServer } from './helpers/ingest-server.js';

const file = JSON.parse(readFileSync(fileURLToPath(new URL('../../../spec/fingerprint-vectors.json', import.meta.url)), 'utf8')) as {
  vectors: { name: string; input: fp.FingerprintInput & { frames_sent?: number }; key: string; fingerprint: string }[];
  well_formed: { name: string; code_points: number[]; well_formed: string; runtimes?: string[] }[];
};
const vectors = file.vectors;

describe('fingerprint vectors', () => {
  it('has vectors to check', () => expect(vectors.length).toBeGreaterThan(20));
  for (const vector of vectors) {
    it(vector.name, () => {
      // `frames_sent`: the event kept only that many innermost frames, and only they take part.
      const { frames_sent: kept, ...input } = vector.input;
      if (kept !== undefined) input.frames = input.frames.slice(0, kept);
      expect(fp.fingerprintKey(input)).toBe(vector.key);
      expect(fp.fingerprint(input)).toBe(vector.fingerprint);
    });
  }
  // A JavaScript string is UTF-16 code units: the vectors for Python's code points do not apply.
  for (const vector of file.well_formed.filter((v) => !v.runtimes || v.runtimes.includes('node'))) {
    it(`well formed: ${vector.name}`, () => {
      const text = String.fromCodePoint(...vector.code_points);
      expect(Buffer.from(text, 'utf8').toString('utf8')).toBe(vector.well_formed);
      const asMessage = { kind: 'message' as const, type: 'Message', frames: [], logger: null };
      expect(fp.fingerprint({ ...asMessage, message: text })).toBe(fp.fingerprint({ ...asMessage, message: vector.well_formed }));
    });
  }
  it('strips only tab, LF, VT, FF, CR and space', () => {
    expect(fp.strip('\t\n\v\f\r x \r\n')).toBe('x');
    expect(fp.strip('\u00a0x\u2003')).toBe('\u00a0x\u2003');
  });
});

const ingest = useIngestServer();

describe('the fingerprint of what is sent', () => {
  // A library frame with a 1,000-character name, recursing `depth` times under the app's frame:
  // beyond 100 frames the schema cuts the app frame off, beyond ~57 the 64 KiB limit does.
  for (const depth of [70, 150]) {
    it(`is computed on the frames sent when the in-app frame is ${depth} frames deep`, async () => {
      const app = makeApp();
      const library = app.write('node_modules/deeplib/index.js', `const name = 'f'.repeat(1000);
const holder = { [name](n) { if (n === 0) throw new Error('deep'); return holder[name](n - 1); } };
exports.run = (n) => holder[name](n);
`);
      const script = app.write('app.js', `const { initPixel, reportPixel } = require(${JSON.stringify(cjsEntry)});
Error.stackTraceLimit = 200;
initPixel({ projectKey: 'pk_test_fp', ingestUrl: process.env.INGEST });
try { require('deeplib').run(${depth}); } catch (error) { reportPixel('deep', { error }); }
`);
      const before = ingest().received.length;
      await app.run(script, { env: { INGEST: ingest().url } });
      const [event] = ingest().events.slice(before);
      expect(event!.stack.some((f: { in_app: boolean }) => f.in_app)).toBe(false);
      const lines = readFileSync(library, 'utf8').split('\n');
      const frames = event!.stack.map((f: fp.FingerprintFrame, i: number) => ({ ...f, source: i === 0 ? lines[f.line - 1]! : null }));
      expect(event!.fingerprint).toBe(fp.fingerprint({ kind: 'error', type: 'Error', message: 'deep', frames, logger: null }));
    });
  }
});
