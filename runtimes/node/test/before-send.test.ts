// spec/hooks.md in real processes: whatever beforeSend returns or does (an unserialisable
// object, a number, a Promise, a report of its own), exactly one event or none is sent per report,
// with at most one warning, the queue slot is released, and the process exits as it would without it.
import { describe, expect, it } from 'vitest';
import { makeApp } from './helpers/child-app.js';
import { cjsEntry } from './helpers/build.js';
import { useIngestServer } from './helpers/ingest-server.js';

const ingest = useIngestServer();

async function run(hook: string, after: string) {
  const app = makeApp();
  const before = ingest().received.length;
  const source = `const pixel = require(${JSON.stringify(cjsEntry)});
pixel.initPixel({ projectKey: 'pk_test_hook', ingestUrl: process.env.INGEST, shutdownTimeoutMs: 3000, beforeSend: ${hook} });
${after}`;
  const result = await app.run(app.write('app.js', source), { env: { INGEST: ingest().url }, timeoutMs: 20_000 });
  return { ...result, events: ingest().events.slice(before) };
}

const deep = `(() => { let v = {}; for (let i = 0; i < 6000; i++) v = { v }; return v; })()`;
const unserialisable: [string, string][] = [
  ['a BigInt', `(event) => ({ ...event, context: { n: 10n } })`],
  ['a cycle', `(event) => { const c = {}; c.c = c; return { ...event, context: c }; }`],
  ['6,000 levels of nesting', `(event) => ({ ...event, context: ${deep} })`],
  ['a throwing getter', `(event) => ({ ...event, get context() { throw new Error('getter'); } })`],
  ['a message that is not a string', `(event) => ({ ...event, message: 42 })`],
];

describe('beforeSend results', () => {
  for (const [name, hook] of unserialisable) {
    it(`sends the unchanged event with one warning when the result holds ${name}, and exits`, async () => {
      const { code, stdout, stderr, events, ms } = await run(
        `(event) => { event.message = 'mutated'; return (${hook})(event); }`,
        `pixel.reportPixel('first', { context: { n: 1 } }); pixel.reportPixel('second');
pixel.flushPixel(3000).then((ok) => console.log(ok));`,
      );
      expect(code).toBe(0);
      expect(ms).toBeLessThan(10_000);
      expect(stdout).toBe('true\n');
      expect(events.map((e) => [e.message, e.context]).sort()).toEqual([['first', { n: 1 }], ['second', undefined]]);
      expect(stderr).toMatch(/^ez-pixel: beforeSend returned an event that cannot be serialised \(.+\); sending the event unchanged\n$/);
    });
  }

  it('never leaks a queue slot: after 100 unserialisable results, reports and flushes still work', async () => {
    const { code, stdout, events } = await run(
      `(event) => event.message === 'good' ? event : ({ ...event, context: { n: 1n } })`,
      `(async () => {
  for (let i = 0; i < 100; i++) pixel.reportPixel('bad ' + i);
  const first = await pixel.flushPixel(5000);
  const id = pixel.reportPixel('good');
  const second = await pixel.flushPixel(5000);
  console.log(JSON.stringify({ first, second, id: id !== null, stats: pixel.getPixelStats() }));
})();`,
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ first: true, second: true, id: true, stats: { queued: 0, dropped: 0, delivered: 101 } });
    expect(events).toHaveLength(101);
    expect(events.filter((e) => e.message === 'good')).toHaveLength(1);
  });

  it('sends the unchanged event with one warning for a number, a string or an array', async () => {
    const { stderr, events } = await run(
      `(event) => ({ n: 42, s: 'text', a: [event] })[event.message]`,
      `pixel.reportPixel('n'); pixel.reportPixel('s'); pixel.reportPixel('a'); pixel.reportPixel('n');`,
    );
    expect(events.map((e) => e.message).sort()).toEqual(['a', 'n', 'n', 's']);
    expect(stderr.split('\n').filter(Boolean).sort()).toEqual([
      'ez-pixel: beforeSend returned a number, not an event object or null; sending the event unchanged',
      'ez-pixel: beforeSend returned a string, not an event object or null; sending the event unchanged',
      'ez-pixel: beforeSend returned an array, not an event object or null; sending the event unchanged',
    ].sort());
  });

  it('says that promises are not supported for an async hook, and sends the unchanged event', async () => {
    const { stderr, events } = await run(
      `async (event) => { event.context = { changed: true }; return null; }`,
      `pixel.reportPixel('async one'); pixel.reportPixel('async two');`,
    );
    expect(events.map((e) => [e.message, e.context]).sort()).toEqual([['async one', undefined], ['async two', undefined]]);
    expect(stderr).toBe(
      'ez-pixel: beforeSend returned a Promise; promises are not supported (the hook must return the event synchronously); sending the event unchanged\n',
    );
  });

  it('drops reports made from inside the hook: one report, one event', async () => {
    const { stdout, events } = await run(
      `(event) => { console.log(String(pixel.reportPixel('from the hook'))); return event; }`,
      `pixel.reportPixel('original');
pixel.flushPixel(3000).then((ok) => console.log(ok, JSON.stringify(pixel.getPixelStats())));`,
    );
    expect(events.map((e) => e.message)).toEqual(['original']);
    const [inner, flushed] = stdout.trim().split('\n');
    expect(inner).toBe('null');
    expect(flushed).toMatch(/^true .*"delivered":1,.*"dropped":0/);
  });
});
