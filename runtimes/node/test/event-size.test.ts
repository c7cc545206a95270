// spec/README.md "Size": at most 64 KiB of UTF-8 JSON, trimmed in the documented order, and
// schema-valid after trimming.
import { describe, expect, it } from 'vitest';
import * as size from '../src/event-size.js';
import { validateEvent } from './helpers/ingest-server.js';


const frame = (i: number) => ({ file: `src/${'deep/'.repeat(150)}f${i}.js`, line: i + 1, col: 1, fn: `fn${i}${'x'.repeat(200)}`, in_app: true });
function bigEvent(): any {
  return {
    event_id: '6f1c2a4e-1b2c-4d3e-8f4a-5b6c7d8e9f00',
    project_key: 'pk_test_size',
    fingerprint: '0123456789abcdef',
    type: 'Error',
    message: 'm'.repeat(20_000),
    stack: Array.from({ length: 100 }, (_, i) => frame(i)),
    code_context: { file: 'src/a.js', error_line: 6, start_line: 1, lines: Array.from({ length: 11 }, () => 'y'.repeat(3000)) },
    runtime: 'node-20.20.2',
    manual_report: true,
    level: 'error',
    occurred_at: '2026-11-26T23:30:00.123Z',
    cause: Array.from({ length: 12 }, (_, i) => ({ relation: 'cause', type: 'Error', message: 'c'.repeat(8000), stack: [frame(i)] })),
    context: { blob: 'z'.repeat(100_000) },
  };
}

describe('event size', () => {
  it('fits the schema limits, then trims causes, outer frames and context until 64 KiB', () => {
    const event = size.fitSchema(bigEvent());
    expect(event.message).toHaveLength(8192);
    expect(event.cause).toHaveLength(10);
    expect(event.code_context!.lines.every((l: string) => l.length === 1024)).toBe(true);
    const json = size.serializeWithinLimit(event);
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(64 * 1024);
    const sent = JSON.parse(json);
    expect(validateEvent(sent)).toBe(true);
    expect(sent.cause).toBeUndefined();
    expect(sent.stack.length).toBeGreaterThanOrEqual(20);
    expect(sent.stack[0].line).toBe(1); // innermost kept
    expect(sent.context).toEqual({ _trimmed: true });
  });

  it('stops trimming as soon as the event fits', () => {
    const event = bigEvent();
    event.context = { small: true };
    event.stack = event.stack.slice(0, 3);
    event.cause = event.cause.slice(0, 9);
    const sent = JSON.parse(size.serializeWithinLimit(size.fitSchema(event)));
    expect(sent.cause.length).toBeGreaterThan(0);
    expect(sent.cause.length).toBeLessThan(9);
    expect(sent.context).toEqual({ small: true });
    expect(sent.stack).toHaveLength(3);
  });

  it('cuts without splitting a surrogate pair', () => {
    expect(size.cut('ab\u{1F4A5}', 3)).toBe('ab');
    expect(size.cut('ab\u{1F4A5}', 4)).toBe('ab\u{1F4A5}');
  });
});

describe('source cache', () => {
  it('keeps at most its file count, evicting the least recently used', async () => {
    const { SourceCache } = await import('../src/source-cache.js');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'ez-pixel-cache-'));
    const paths = [0, 1, 2].map((i) => {
      const path = join(dir, `f${i}.js`);
      writeFileSync(path, `line one of ${i}\r\nline two\n`);
      return path;
    });
    const cache = new SourceCache(2);
    await cache.load([paths[0]!, paths[1]!]);
    expect(cache.lines(paths[0]!)).toEqual(['line one of 0', 'line two']);
    await cache.load([paths[2]!]); // evicts f1, the least recently used
    expect(cache.lines(paths[1]!)).toBeUndefined();
    expect(cache.lines(paths[0]!)).toBeDefined();
    await cache.load([join(dir, 'missing.js')]);
    expect(cache.lines(join(dir, 'missing.js'))).toBeNull();
  });
});
