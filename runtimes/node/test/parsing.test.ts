// Small parsers with many cases: Retry-After (seconds or HTTP date, 60 s otherwise) and the
// --unhandled-rejections mode (the command line wins over NODE_OPTIONS, as in Node).
import { describe, expect, it } from 'vitest';
import { rejectionMode } from '../src/process-hooks.js';
import { retryAfterMs } from '../src/transport.js';

describe('retryAfterMs', () => {
  const now = Date.parse('2026-11-26T23:00:00Z');
  it('reads seconds, HTTP dates, and falls back to 60 s', () => {
    expect(retryAfterMs('7', now)).toBe(7000);
    expect(retryAfterMs(' 1.5 ', now)).toBe(1500);
    expect(retryAfterMs('Thu, 26 Nov 2026 23:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Thu, 26 Nov 2026 22:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs(null, now)).toBe(60_000);
    expect(retryAfterMs('', now)).toBe(60_000);
    expect(retryAfterMs('soon', now)).toBe(60_000);
    expect(retryAfterMs('99999999999', now)).toBe(24 * 3600 * 1000);
    expect(retryAfterMs('Fri, 31 Dec 9999 23:59:59 GMT', now)).toBe(24 * 3600 * 1000);
  });
});

describe('rejectionMode', () => {
  it('defaults to throw and reads both spellings of the flag', () => {
    expect(rejectionMode([], '')).toBe('throw');
    expect(rejectionMode(['--unhandled-rejections=warn'], '')).toBe('warn');
    expect(rejectionMode(['--unhandled-rejections', 'strict'], '')).toBe('strict');
    expect(rejectionMode([], '--max-old-space-size=100 --unhandled-rejections=none')).toBe('none');
    expect(rejectionMode(['--unhandled-rejections=warn-with-error-code'], '--unhandled-rejections=none')).toBe('warn-with-error-code');
    expect(rejectionMode(['--unhandled-rejections=bogus'], '')).toBe('throw');
  });
});
