// The public API in real processes: options and environment fallbacks, bad input that warns
// instead of throwing, reconfiguration without stacking listeners, closePixel, beforeSend,
// sampling, dedupe, and the events each kind of report produces (all validated by the server).
import { describe, expect, it } from 'vitest';
import { makeApp } from './helpers/child-app.js';
import { cjsEntry, esmEntry } from './helpers/build.js';
import { useIngestServer } from './helpers/ingest-server.js';

const ingest = useIngestServer();

const sdk = `const pixel = require(${JSON.stringify(cjsEntry)});`;

async function run(source: string, env: Record<string, string | undefined> = {}) {
  const app = makeApp();
  const before = ingest().received.length;
  const result = await app.run(app.write('app.js', `${sdk}\n${source}`), { env: { INGEST: ingest().url, ...env } });
  return { ...result, events: ingest().events.slice(before) };
}

describe('initPixel', () => {
  it('falls back to EZ_PIXEL_PROJECT_KEY and EZ_PIXEL_INGEST_URL', async () => {
    const { stdout, events } = await run(`console.log(pixel.initPixel()); pixel.reportPixel('from env');`, { EZ_PIXEL_PROJECT_KEY: 'pk_live_fromenv', EZ_PIXEL_INGEST_URL: ingest().url });
    expect(stdout).toBe('true\n');
    expect(events).toEqual([expect.objectContaining({ project_key: 'pk_live_fromenv', message: 'from env' })]);
  });

  it('is a silent no-op with EZ_PIXEL_DISABLED=1', async () => {
    const { stdout, stderr, events } = await run(`console.log(pixel.initPixel({ projectKey: 'pk_test_x', ingestUrl: process.env.INGEST })); pixel.reportPixel('nope');
setTimeout(() => { throw new Error('crash while disabled'); });`, { EZ_PIXEL_DISABLED: '1' });
    expect(stdout).toBe('false\n');
    expect(stderr).toContain('Error: crash while disabled');
    expect(stderr).not.toContain('ez-pixel:');
    expect(events).toEqual([]);
  });

  it('reads EZ_PIXEL_DISABLED as the Python SDK does: true, yes and on switch it off, other values do not', async () => {
    const script = `console.log(pixel.initPixel({ projectKey: 'pk_test_x', ingestUrl: process.env.INGEST })); pixel.closePixel();`;
    for (const value of ['true', ' YES ', 'on']) {
      const { stdout, stderr } = await run(script, { EZ_PIXEL_DISABLED: value });
      expect(stdout, value).toBe('false\n');
      expect(stderr, value).not.toContain('ez-pixel:');
    }
    for (const value of ['0', 'false', '']) expect((await run(script, { EZ_PIXEL_DISABLED: value })).stdout, value).toBe('true\n');
  });

  it('warns once and stays disabled on a bad key or URL, never throwing', async () => {
    const { stdout, stderr, code, events } = await run(`
console.log(pixel.initPixel({ projectKey: 'sk_live_secret', ingestUrl: process.env.INGEST }));
console.log(pixel.initPixel({ projectKey: 'pk_test_ok', ingestUrl: 'not a url' }));
console.log(pixel.initPixel({ projectKey: 'pk_test_ok', ingestUrl: 'ftp://x/ingest' }));
console.log(pixel.initPixel(null), pixel.initPixel(42));
pixel.reportPixel('ignored');
pixel.flushPixel().then((r) => console.log('flush', r));`);
    expect(code).toBe(0);
    expect(stdout).toBe('false\nfalse\nfalse\nfalse false\nflush true\n');
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines.every((line) => line.startsWith('ez-pixel: ') && line.endsWith('error reporting is disabled'))).toBe(true);
    expect(stderr).not.toContain('sk_live_secret'); // only a prefix of a rejected key is shown
    expect(events).toEqual([]);
  });

  it('reconfigures on a second call without stacking listeners, and closePixel removes them all', async () => {
    const { stdout, events } = await run(`
const names = ['uncaughtExceptionMonitor', 'unhandledRejection', 'beforeExit', 'exit', 'newListener', 'removeListener', 'uncaughtException'];
const count = () => names.map((n) => process.listenerCount(n)).join(',');
console.log(count());
pixel.initPixel({ projectKey: 'pk_test_first', ingestUrl: process.env.INGEST });
const once = count();
pixel.initPixel({ projectKey: 'pk_test_second', ingestUrl: process.env.INGEST, environment: 'staging', release: '1.2.3' });
console.log(once === count(), count());
pixel.reportPixel('after reconfigure');
pixel.closePixel().then(() => { console.log(count()); pixel.reportPixel('after close'); });`);
    const [before, same, after] = stdout.trim().split('\n');
    expect(same).toMatch(/^true /);
    expect(after).toBe(before);
    expect(events).toEqual([expect.objectContaining({ project_key: 'pk_test_second', message: 'after reconfigure', environment: 'staging', release: '1.2.3' })]);
  });
});

describe('reportPixel', () => {
  it('reports a message with level, context and the caller as its frame', async () => {
    const { events } = await run(`pixel.initPixel({ projectKey: 'pk_test_api', ingestUrl: process.env.INGEST });
function charge() {
  pixel.reportPixel('payment retry limit reached', { level: 'warning', context: { order: 7, big: 10n } });
}
charge();`);
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({ type: 'Message', message: 'payment retry limit reached', level: 'warning', manual_report: true, context: { order: 7, big: '10n' }, sdk: { name: 'ez-pixel-node', version: '0.2.0' } });
    expect(event!.stack[0]).toMatchObject({ file: 'app.js', line: 4, fn: 'charge', in_app: true });
    expect(event!.stack.some((f: any) => f.file.includes('dist/'))).toBe(false);
    expect(event!.code_context.lines[event!.code_context.error_line - event!.code_context.start_line]).toContain("pixel.reportPixel('payment retry");
    expect(ingest().invalid).toEqual([]);
  });

  it('reports an error with its own stack, and sends the same error object only once', async () => {
    const { events } = await run(`pixel.initPixel({ projectKey: 'pk_test_api', ingestUrl: process.env.INGEST });
class PaymentError extends Error {}
let error;
try { JSON.parse('{'); } catch (e) { error = e; }
pixel.reportPixel('parsing failed', { error });
pixel.reportPixel('parsing failed again', { error });
pixel.reportPixel('custom', { error: new PaymentError('declined'), level: 'info' });
pixel.reportPixel('a string', { error: 'not an Error' });`);
    expect(events).toHaveLength(3);
    const byType = Object.fromEntries(events.map((e) => [e.type, e]));
    expect(byType.SyntaxError).toMatchObject({ manual_report: true, level: 'error', context: { report_message: 'parsing failed' } });
    expect(byType.SyntaxError.stack.find((f: any) => f.in_app)).toMatchObject({ file: 'app.js', line: 5 });
    expect(byType.PaymentError).toMatchObject({ message: 'declined', level: 'info' });
    expect(byType.String).toMatchObject({ message: 'not an Error' });
    expect(byType.String.stack[0]).toMatchObject({ file: 'app.js', line: 9 });
    expect(ingest().invalid).toEqual([]);
  });

  it('returns the event id, or null when nothing was queued', async () => {
    const { stdout, events } = await run(`console.log(pixel.reportPixel('before init'));
pixel.initPixel({ projectKey: 'pk_test_api', ingestUrl: process.env.INGEST, maxQueue: 2 });
const error = new Error('once');
const ids = [pixel.reportPixel('first', { error }), pixel.reportPixel('again', { error }), pixel.reportPixel('second'), pixel.reportPixel('queue full')];
console.log(JSON.stringify(ids));`);
    const [before, ids] = stdout.trim().split('\n');
    expect(before).toBe('null');
    const [first, duplicate, second, full] = JSON.parse(ids!);
    expect([duplicate, full]).toEqual([null, null]);
    expect(events.map((e) => e.event_id).sort()).toEqual([first, second].sort());
  });

  it('gives the same fingerprint to the same report from the same line, another to a different message', async () => {
    const { events } = await run(`pixel.initPixel({ projectKey: 'pk_test_api', ingestUrl: process.env.INGEST });
const fail = (m) => pixel.reportPixel(m);
fail('one'); fail('one'); fail('two');
const boom = () => { try { null.x; } catch (e) { return e; } };
pixel.reportPixel('', { error: boom() }); pixel.reportPixel('', { error: boom() });`);
    const messages = events.filter((e) => e.type === 'Message');
    const [a, b, c] = ['one', 'one', 'two'].map((m, i) => messages.filter((e) => e.message === m)[m === 'one' ? i : 0]);
    expect(a!.fingerprint).toBe(b!.fingerprint);
    expect(a!.fingerprint).not.toBe(c!.fingerprint);
    const errors = events.filter((e) => e.type === 'TypeError');
    expect(errors).toHaveLength(2);
    expect(errors[0]!.fingerprint).toBe(errors[1]!.fingerprint);
  });

  it('applies beforeSend (changed, dropped, or throwing: sent unchanged with one warning) and sampleRate', async () => {
    const { events, stderr } = await run(`pixel.initPixel({ projectKey: 'pk_test_api', ingestUrl: process.env.INGEST, beforeSend(event) {
  if (event.message === 'drop me') return null;
  if (event.message === 'throw') throw new Error('hook bug');
  event.context = { scrubbed: true };
  return event;
} });
pixel.reportPixel('keep me'); pixel.reportPixel('drop me'); pixel.reportPixel('throw'); pixel.reportPixel('throw');
setTimeout(() => {
  pixel.initPixel({ projectKey: 'pk_test_api', ingestUrl: process.env.INGEST, sampleRate: 0 });
  for (let i = 0; i < 10; i++) pixel.reportPixel('sampled out');
}, 200);`);
    // Up to 4 requests are in flight at once, so arrival order is not report order; a request still
    // in flight at the second initPixel is spooled and sent again (the ingest dedupes on event_id).
    const unique = [...new Map(events.map((e) => [e.event_id, e])).values()];
    expect(unique.map((e) => [e.message, e.context]).sort()).toEqual([['keep me', { scrubbed: true }], ['throw', undefined], ['throw', undefined]]);
    expect(stderr).toBe('ez-pixel: beforeSend threw (hook bug); sending the event unchanged\n');
  });

  it('never throws into the application, whatever it is given', async () => {
    const { code, stdout } = await run(`pixel.initPixel({ projectKey: 'pk_test_api', ingestUrl: process.env.INGEST });
const hostile = new Proxy({}, { get() { throw new Error('trap'); }, getPrototypeOf() { throw new Error('trap'); } });
pixel.reportPixel(undefined);
pixel.reportPixel('x', null);
pixel.reportPixel('x', { error: hostile, context: hostile, level: 'nonsense' });
const cyclic = { a: 1 }; cyclic.self = cyclic;
pixel.reportPixel('cyclic context', { context: cyclic });
pixel.flushPixel('soon').then((r) => console.log('ok', r));`);
    expect(code).toBe(0);
    expect(stdout).toBe('ok true\n');
    expect(ingest().invalid).toEqual([]);
  });

  it('works the same when imported as an ES module', async () => {
    const app = makeApp();
    const before = ingest().received.length;
    const result = await app.run(app.write('app.mjs', `import { initPixel, reportPixel, flushPixel } from ${JSON.stringify(esmEntry)};
initPixel({ projectKey: 'pk_test_esm', ingestUrl: process.env.INGEST });
reportPixel('from esm');
console.log(await flushPixel());`), { env: { INGEST: ingest().url } });
    expect(result.stdout).toBe('true\n');
    expect(ingest().events.slice(before)).toEqual([expect.objectContaining({ message: 'from esm' })]);
    expect(ingest().events.slice(before)[0]!.stack[0]).toMatchObject({ file: 'app.mjs', line: 3, in_app: true });
  });
});
