// The pure parts of an event: what was thrown, its causes, the 64 KiB trimming, beforeSend's
// results (spec/hooks.md), the Retry-After clamp and the runtime name.
import { describe as group, expect, it, vi } from 'vitest';
import { byteLength, serialize, uuid, type PixelEvent } from '../../src/event.js';
import { applyHook } from '../../src/hook.js';
import { runtimeName } from '../../src/runtime.js';
import { describe, linked } from '../../src/thrown.js';
import { retryAfterSeconds } from '../../src/transport.js';

const origin = 'http://127.0.0.1:5173';
// The page's location, which describe() reads for the origin of its frames (Node has none).
vi.stubGlobal('location', new URL(`${origin}/cart`));
const frame = (i: number, fn = 'f') => ({ file: `assets/${i}.js`, line: i + 1, col: 1, fn, in_app: i === 0 });
const event = (overrides: Partial<PixelEvent> = {}): PixelEvent => ({
  event_id: uuid(),
  project_key: 'pk_test_browser',
  type: 'TypeError',
  message: 'boom',
  stack: [frame(0)],
  code_context: null,
  runtime: 'browser-chrome-156.0',
  manual_report: false,
  level: 'error',
  occurred_at: new Date().toISOString(),
  ...overrides,
});

group('what was thrown', () => {
  it('names Errors by class, primitives like their wrappers, objects by constructor', () => {
    class PaymentError extends Error {}
    expect(describe(new PaymentError('declined'))).toMatchObject({ type: 'PaymentError', message: 'declined' });
    expect(describe(new RangeError('r')).type).toBe('RangeError');
    const thrown = new Error('at the page');
    thrown.stack = `Error: at the page\n    at pay (${origin}/assets/app.js:3:7)`;
    expect(describe(thrown).stack).toEqual([{ file: 'assets/app.js', line: 3, col: 7, fn: 'pay', in_app: true }]);
    expect(describe('plain')).toEqual({ type: 'String', message: 'plain', stack: [] });
    expect(describe(42)).toEqual({ type: 'Number', message: '42', stack: [] });
    expect(describe(null)).toEqual({ type: 'null', message: 'null', stack: [] });
    expect(describe(undefined)).toEqual({ type: 'undefined', message: 'undefined', stack: [] });
    expect(describe({ code: 7 })).toEqual({ type: 'Object', message: '{"code":7}', stack: [] });
    expect(describe({ message: 'shaped like an error' }).message).toBe('shaped like an error');
  });
  it('still describes a revoked Proxy and an object whose getters throw', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(describe(proxy).type).toBe('Object');
    const hostile = { get message(): string { throw new Error('no'); } };
    expect(describe(hostile)).toMatchObject({ type: 'Object', message: 'unreadable (Error: no)' });
  });
  it('walks cause chains and AggregateError members breadth-first, each once, at most 10', () => {
    const root = new Error('top', { cause: new Error('middle', { cause: 'bottom' }) });
    expect(linked(root, describe).map((l) => [l.relation, l.message])).toEqual([['cause', 'middle'], ['cause', 'bottom']]);
    const group = new AggregateError([new Error('a'), new Error('b')], 'both');
    expect(linked(group, describe).map((l) => l.relation)).toEqual(['group', 'group']);
    const loop: Error & { cause?: unknown } = new Error('loop');
    loop.cause = loop;
    expect(linked(loop, describe)).toEqual([]);
    let deep: unknown = 'end';
    for (let i = 0; i < 30; i++) deep = new Error(`e${i}`, { cause: deep });
    expect(linked(deep, describe)).toHaveLength(10);
  });
});

group('serialize', () => {
  it('trims to 64 KiB: causes, then outer frames, then context; and sends no fingerprint (the ingest computes it)', () => {
    const big = 'x'.repeat(1000);
    const e = event({
      stack: [...Array.from({ length: 80 }, (_, i) => ({ ...frame(i + 1, big), in_app: false })), frame(0)],
      cause: Array.from({ length: 10 }, () => ({ relation: 'cause', type: 'Error', message: big.repeat(8), stack: [] })),
      context: { blob: big.repeat(60) },
    });
    const body = serialize(e);
    const sent = JSON.parse(body) as PixelEvent;
    expect(byteLength(body)).toBeLessThanOrEqual(65536);
    expect(sent.cause).toEqual([]);
    expect(sent.stack).toHaveLength(20);
    expect(sent.context).toEqual({ _trimmed: true });
    expect('fingerprint' in sent).toBe(false);
  });
  it('applies the schema limits: type 512, message 8,192, 100 frames', () => {
    const sent = JSON.parse(serialize(event({ type: 'T'.repeat(600), message: 'm'.repeat(9000), stack: Array.from({ length: 120 }, (_, i) => frame(i)) })));
    expect([sent.type.length, sent.message.length, sent.stack.length]).toEqual([512, 8192, 100]);
  });
  it('makes version 4 UUIDs', () => {
    expect(uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

group('beforeSend (spec/hooks.md)', () => {
  const run = (hook: (e: PixelEvent) => unknown) => {
    const warnings: string[] = [];
    const built = event();
    const unchanged = serialize(built);
    const body = applyHook(hook, JSON.parse(unchanged), unchanged, (w) => warnings.push(w));
    return { body, unchanged, warnings };
  };
  it('null drops, an object is sent with the limits applied', () => {
    expect(run(() => null)).toMatchObject({ body: null, warnings: [] });
    const { body } = run((e) => ({ ...e, message: 'm'.repeat(9000), context: { added: true } }));
    expect(JSON.parse(body!)).toMatchObject({ context: { added: true } });
    expect(JSON.parse(body!).message).toHaveLength(8192);
  });
  it('a throw, a Promise, a number, an array, a cycle, a BigInt, deep nesting or a wrong type send the event unchanged, with a warning', () => {
    const cyclic = (e: PixelEvent) => Object.assign(e, { context: { self: e } });
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 120; i++) deep = deep.next = {};
    const cases: [(e: PixelEvent) => unknown, RegExp][] = [
      [(e) => { e.message = 'mutated'; throw new Error('hook broke'); }, /threw \(hook broke\)/],
      [() => Promise.reject(new Error('async')), /returned a Promise/],
      [() => 3, /returned number/],
      [() => [1], /returned array/],
      [cyclic, /cannot be serialised/],
      [(e) => ({ ...e, context: { n: 1n } }), /cannot be serialised/],
      [(e) => ({ ...e, context: root }), /cannot be serialised/],
      [(e) => ({ ...e, message: 42 }), /cannot be serialised/],
      [(e) => ({ ...e, type: ['TypeError'] }), /cannot be serialised/],
      [(e) => ({ ...e, stack: 'at f (a.js:1:1)' }), /cannot be serialised/],
      [(e) => ({ ...e, cause: 'the cause' }), /cannot be serialised/],
    ];
    for (const [hook, warning] of cases) {
      const { body, unchanged, warnings } = run(hook);
      expect(body).toBe(unchanged);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(warning);
      expect(warnings[0]).toMatch(/; sent unchanged$/);
    }
  });
});

group('Retry-After', () => {
  const now = Date.parse('2026-12-01T12:00:00Z');
  it('reads seconds and HTTP dates, 60 s when unreadable, clamped to 24 h', () => {
    expect(retryAfterSeconds('120', now)).toBe(120);
    expect(retryAfterSeconds('1.5', now)).toBe(1.5);
    expect(retryAfterSeconds('Tue, 01 Dec 2026 12:00:30 GMT', now)).toBe(30);
    expect(retryAfterSeconds('Tue, 01 Dec 2026 11:00:00 GMT', now)).toBe(0);
    expect(retryAfterSeconds(null, now)).toBe(60);
    expect(retryAfterSeconds('', now)).toBe(60);
    expect(retryAfterSeconds('soon', now)).toBe(60);
    expect(retryAfterSeconds('99999999999', now)).toBe(86400);
    expect(retryAfterSeconds('Fri, 31 Dec 9999 23:59:59 GMT', now)).toBe(86400);
  });
});

group('runtime name', () => {
  it('names Chrome (and Edge, and Android\'s WebView), Firefox and Safari from their user agents', () => {
    expect(runtimeName('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.8078.114 Safari/537.36')).toBe('browser-chrome-156.0.8078.114');
    expect(runtimeName('Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/140.0.0.0 Safari/537.36 Edg/140.0.0.0')).toBe('browser-chrome-140.0.0.0');
    expect(runtimeName('Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0')).toBe('browser-firefox-140.0');
    expect(runtimeName('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.2 Safari/605.1.15')).toBe('browser-safari-18.2');
    expect(runtimeName('Mozilla/5.0 (Linux; Android 14; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/140.0.7339.51 Mobile Safari/537.36')).toBe('browser-chrome-140.0.7339.51');
    expect(runtimeName('curl/8')).toBe('browser-unknown');
  });
});
