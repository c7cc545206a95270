// Uncaught exceptions and unhandled rejections in real child processes: each is reported, and
// the process then behaves exactly as Node does without the SDK (same stderr, same exit code),
// unless the application has its own listener.
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeApp, printWaitAtExit, waitedAtExit } from './helpers/child-app.js';
import { cjsEntry, esmEntry } from './helpers/build.js';
import { refusingUrl, useIngestServer } from './helpers/ingest-server.js';

const ingest = useIngestServer();

const init = `const { initPixel } = require(${JSON.stringify(cjsEntry)});
if (process.env.WITH_SDK) initPixel({ projectKey: 'pk_test_crash', ingestUrl: process.env.INGEST });`;

/** Runs the script with and without the SDK; returns both results and the events received. */
async function runBoth(source: string, nodeArgs: string[] = [], name = 'app.js') {
  const app = makeApp();
  const script = app.write(name, source);
  const before = ingest().received.length;
  const without = await app.run(script, { nodeArgs, env: { INGEST: ingest().url } });
  const withSdk = await app.run(script, { nodeArgs, env: { INGEST: ingest().url, WITH_SDK: '1' } });
  return { without, withSdk, events: () => ingest().events.slice(before), app };
}

describe('uncaught exception', () => {
  it('is reported as fatal, then Node prints it and exits with 1 exactly as without the SDK', async () => {
    const { without, withSdk, events } = await runBoth(`${init}
function explode() {
  throw new Error('kaboom');
}
setTimeout(explode, 5);
`);
    expect(without.code).toBe(1);
    expect(withSdk.code).toBe(1);
    expect(withSdk.stderr).toBe(without.stderr);
    expect(withSdk.stderr).toContain('Error: kaboom');
    const [event, ...rest] = events();
    expect(rest).toHaveLength(0);
    expect(event).toMatchObject({ type: 'Error', message: 'kaboom', level: 'fatal', manual_report: false, project_key: 'pk_test_crash' });
    expect(event!.stack[0]).toMatchObject({ file: 'app.js', line: 4, fn: 'Timeout.explode [as _onTimeout]', in_app: true });
    expect(event!.code_context).toMatchObject({ file: 'app.js', error_line: 4, start_line: 1 });
    expect(event!.code_context.lines[3]).toBe("  throw new Error('kaboom');");
    expect(ingest().invalid).toEqual([]);
  });

  it('does not exit when the application has its own uncaughtException listener, and still reports', async () => {
    const { withSdk, events } = await runBoth(`${init}
process.on('uncaughtException', (error) => console.log('app handled: ' + error.message));
setTimeout(() => { throw new TypeError('handled by the app'); }, 5);
setTimeout(() => console.log('still alive'), 100);
`);
    expect(withSdk.code).toBe(0);
    expect(withSdk.stdout).toBe('app handled: handled by the app\nstill alive\n');
    expect(events()).toEqual([expect.objectContaining({ type: 'TypeError', message: 'handled by the app', level: 'fatal' })]);
  });

  it("delivers the crash before an exit made by the app's own uncaughtException listener, within shutdownTimeoutMs", async () => {
    const app = makeApp();
    // What close-with-grace and many servers do: log, then process.exit(1).
    const script = app.write('graceful.js', `const { initPixel } = require(${JSON.stringify(cjsEntry)});
initPixel({ projectKey: 'pk_test_crash', ingestUrl: process.env.INGEST, shutdownTimeoutMs: 1500 });
process.on('uncaughtException', (error) => { console.error('app: ' + error.message); process.exit(1); });
let crashedAt;
${printWaitAtExit('crashedAt')}
setTimeout(() => { crashedAt = performance.now(); throw new Error('crash under a graceful handler'); }, 5);
`);
    const before = ingest().received.length;
    const result = await app.run(script, { env: { INGEST: ingest().url } });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('app: crash under a graceful handler\n');
    expect(waitedAtExit(result.stdout)).toBeLessThan(1500 + 900);
    expect(ingest().events.slice(before)).toEqual([expect.objectContaining({ message: 'crash under a graceful handler', level: 'fatal' })]);
    expect(existsSync(app.cacheDir) ? readdirSync(app.cacheDir, { recursive: true }).filter((f) => String(f).endsWith('.json')) : []).toEqual([]);
  });

  it('reports a thrown Proxy, a revoked Proxy and a Proxy whose every trap throws', async () => {
    const app = makeApp();
    const script = app.write('proxies.js', `const { initPixel, reportPixel } = require(${JSON.stringify(cjsEntry)});
initPixel({ projectKey: 'pk_test_crash', ingestUrl: process.env.INGEST });
const revocable = Proxy.revocable({}, {}); revocable.revoke();
const trap = () => { throw new Error('trap'); };
const hostile = new Proxy(new Error('inner'), { get: trap, getPrototypeOf: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap });
const kind = process.argv[2];
const value = kind === 'revoked' ? revocable.proxy : kind === 'hostile' ? hostile : new Proxy(new Error('plain proxy'), {});
if (process.argv[3] === 'report') reportPixel('reported ' + kind, { error: value });
else setTimeout(() => { throw value; }, 5);
`);
    for (const kind of ['plain', 'revoked', 'hostile']) {
      for (const how of ['report', 'throw']) {
        const before = ingest().received.length;
        const result = await app.run(script, { nodeArgs: [], env: { INGEST: ingest().url }, args: [kind, how] });
        expect(result.code, `${kind} ${how}: ${result.stderr}`).toBe(how === 'throw' ? 1 : 0);
        const events = ingest().events.slice(before);
        expect(events, `${kind} ${how}`).toHaveLength(1);
        expect(events[0]).toMatchObject(kind === 'plain' ? { type: 'Error', message: 'plain proxy' } : { type: 'Proxy', message: expect.stringContaining('could not read') });
        expect(events[0]!.level).toBe(how === 'throw' ? 'fatal' : 'error');
      }
    }
  });

  it("delivers from a worker that does not run the app's preloads (-r, NODE_OPTIONS)", async () => {
    const app = makeApp();
    // A slow preload (an APM agent, say) that would take 1.5 s again in every worker thread.
    app.write('slow-preload.js', `if (!require('node:worker_threads').isMainThread) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);\n`);
    const script = app.write('crash.js', `const { initPixel } = require(${JSON.stringify(cjsEntry)});
initPixel({ projectKey: 'pk_test_crash', ingestUrl: process.env.INGEST, shutdownTimeoutMs: 1000 });
setTimeout(() => { throw new Error('crash behind a slow preload'); }, 5);
`);
    // A host name, not a loopback address: the worker delivers (a loopback address needs none).
    const url = ingest().url.replace('127.0.0.1', 'localhost');
    for (const launch of [{ nodeArgs: ['-r', './slow-preload.js'] }, { env: { NODE_OPTIONS: '-r ./slow-preload.js' } }]) {
      const before = ingest().received.length;
      const result = await app.run(script, { nodeArgs: launch.nodeArgs, env: { INGEST: url, ...launch.env } });
      expect(result.code).toBe(1);
      expect(ingest().events.slice(before)).toEqual([expect.objectContaining({ message: 'crash behind a slow preload', level: 'fatal' })]);
    }
  });

  it('numbers code_context lines as V8 does (U+2028, U+2029 and lone \\r are line breaks)', async () => {
    const app = makeApp();
    const script = app.write('separators.js', `const { initPixel } = require(${JSON.stringify(cjsEntry)});
initPixel({ projectKey: 'pk_test_crash', ingestUrl: process.env.INGEST });
const banner = 'one\u2028two\u2029three';\rconst old = 'mac line end';
function explode() {
  throw new Error('after separators');
}
setTimeout(explode, 5);
`);
    const before = ingest().received.length;
    const result = await app.run(script, { env: { INGEST: ingest().url } });
    expect(result.code).toBe(1);
    const [event] = ingest().events.slice(before);
    // Line 3 holds three breaks for V8 (U+2028, U+2029, a lone CR): the throw is its line 8.
    expect(event!.stack[0]).toMatchObject({ file: 'separators.js', line: 8 });
    expect(event!.code_context).toMatchObject({ file: 'separators.js', error_line: 8 });
    const { lines, start_line: start } = event!.code_context;
    expect(lines[8 - start]).toBe("  throw new Error('after separators');");
  });

  it('reports thrown values that are not Errors (a string, null, a plain object)', async () => {
    for (const [thrown, type, message] of [
      ["'plain string'", 'String', 'plain string'],
      ['null', 'null', 'null'],
      ['{ code: 42, reason: "quota" }', 'Object', '{"code":42,"reason":"quota"}'],
    ] as const) {
      const { without, withSdk, events } = await runBoth(`${init}\nsetTimeout(() => { throw ${thrown}; }, 5);\n`);
      expect(withSdk.code).toBe(1);
      expect(withSdk.stderr).toBe(without.stderr);
      expect(events()).toEqual([expect.objectContaining({ type, message, level: 'fatal', stack: [] })]);
    }
    expect(ingest().invalid).toEqual([]);
  });

  it('reports cause chains and AggregateError members, and survives a cycle', async () => {
    const { withSdk, events } = await runBoth(`${init}
const root = new Error('root cause');
const middle = new Error('middle', { cause: root });
root.cause = middle; // a cycle
const group = new AggregateError([new RangeError('first'), 'second'], 'several failed');
const top = new Error('top', { cause: group });
group.cause = middle;
setTimeout(() => { throw top; }, 5);
`);
    expect(withSdk.code).toBe(1);
    const [event] = events();
    expect(event!.cause.map((c: any) => [c.relation, c.type, c.message])).toEqual([
      ['cause', 'AggregateError', 'several failed'],
      ['cause', 'Error', 'middle'],
      ['group', 'RangeError', 'first'],
      ['group', 'String', 'second'],
      ['cause', 'Error', 'root cause'],
    ]);
    expect(ingest().invalid).toEqual([]);
  });

  it('spools the crash when the ingest is down, exits as Node would, and the next process delivers it', async () => {
    const app = makeApp();
    const down = await refusingUrl();
    const crash = app.write('crash.js', `${init}\nsetTimeout(() => { throw new Error('while offline'); }, 5);\n`);
    const crashed = await app.run(crash, { env: { INGEST: down, WITH_SDK: '1' } });
    expect(crashed.code).toBe(1);
    expect(crashed.stderr).toContain('Error: while offline');
    const before = ingest().received.length;
    const next = app.write('next.js', `${init}\n`);
    const delivered = await app.run(next, { env: { INGEST: ingest().url, WITH_SDK: '1' } });
    expect(delivered.code).toBe(0);
    const events = ingest().events.slice(before);
    expect(events).toEqual([expect.objectContaining({ message: 'while offline', level: 'fatal' })]);
  });
});

describe('unhandled rejection', () => {
  const rejection = `${init}
async function load() {
  await null;
  throw new Error('rejected load');
}
load();
setTimeout(() => console.log('still alive'), 100);
`;

  it("keeps Node's default: reported as fatal, printed, exit code 1", async () => {
    const { without, withSdk, events } = await runBoth(rejection);
    expect(without.code).toBe(1);
    expect(withSdk.code).toBe(1);
    expect(withSdk.stderr).toBe(without.stderr);
    expect(withSdk.stdout).toBe('');
    const [event] = events();
    expect(event).toMatchObject({ type: 'Error', message: 'rejected load', level: 'fatal' });
    expect(event!.stack[0]).toMatchObject({ file: 'app.js', fn: 'load', line: 5 });
  });

  it("respects the application's own unhandledRejection listener: no exit, reported as error", async () => {
    const { withSdk, events } = await runBoth(`process.on('unhandledRejection', (r) => console.log('app saw ' + r.message));\n${rejection}`);
    expect(withSdk.code).toBe(0);
    expect(withSdk.stdout).toBe('app saw rejected load\nstill alive\n');
    expect(events()).toEqual([expect.objectContaining({ message: 'rejected load', level: 'error' })]);
  });

  it("reports the error as it was thrown when the app's own listener rewrites it (a logger format that sets message = stack)", async () => {
    // The shape of Express boilerplates whose winston format does Object.assign(info, { message: info.stack })
    // on the Error it is handed, from the app's own unhandledRejection and uncaughtException listeners.
    const app = makeApp();
    const source = (trigger: string) => `${init}
const logAndExit = (error) => { Object.assign(error, { message: error.stack }); console.error(error.message.split('\\n')[0]); process.exit(1); };
process.on('unhandledRejection', logAndExit);
process.on('uncaughtException', logAndExit);
${trigger}
`;
    const script = app.write('logged.js', source("async function connect() { throw new Error('connect refused'); }\nconnect();"));
    const before = ingest().received.length;
    const result = await app.run(script, { env: { INGEST: ingest().url, WITH_SDK: '1' } });
    expect(result.code).toBe(1);
    expect(ingest().events.slice(before)).toEqual([expect.objectContaining({ type: 'Error', message: 'connect refused', level: 'error' })]);

    const crash = app.write('logged-crash.js', source("setTimeout(() => { throw new TypeError('crashed later'); }, 5);"));
    const beforeCrash = ingest().received.length;
    expect((await app.run(crash, { env: { INGEST: ingest().url, WITH_SDK: '1' } })).code).toBe(1);
    expect(ingest().events.slice(beforeCrash)).toEqual([expect.objectContaining({ type: 'TypeError', message: 'crashed later', level: 'fatal' })]);
  });

  it('respects --unhandled-rejections=warn: Node warns and carries on, the rejection is reported', async () => {
    const { without, withSdk, events } = await runBoth(rejection, ['--unhandled-rejections=warn']);
    expect(without.code).toBe(0);
    expect(withSdk.code).toBe(0);
    expect(withSdk.stdout).toBe('still alive\n');
    expect(withSdk.stderr.replace(/\(node:\d+\)/g, '')).toBe(without.stderr.replace(/\(node:\d+\)/g, ''));
    expect(events()).toEqual([expect.objectContaining({ message: 'rejected load', level: 'error' })]);
  });

  it('respects --unhandled-rejections=strict and warn-with-error-code', async () => {
    const strict = await runBoth(rejection, ['--unhandled-rejections=strict']);
    expect(strict.withSdk.code).toBe(1);
    expect(strict.withSdk.stderr).toBe(strict.without.stderr);
    expect(strict.events()).toEqual([expect.objectContaining({ message: 'rejected load', level: 'fatal' })]);

    const withCode = await runBoth(rejection, ['--unhandled-rejections=warn-with-error-code']);
    expect(withCode.without.code).toBe(1);
    expect(withCode.withSdk.code).toBe(1);
    expect(withCode.withSdk.stdout).toBe('still alive\n');
    expect(withCode.withSdk.stderr.replace(/\(node:\d+\)/g, '')).toBe(withCode.without.stderr.replace(/\(node:\d+\)/g, ''));
    expect(withCode.withSdk.stderr).toContain('(rejection id: 1)');
    expect(withCode.events()).toEqual([expect.objectContaining({ message: 'rejected load', level: 'error' })]);

    // With an application listener Node neither warns nor sets the exit code; the SDK follows.
    const listened = await runBoth(`process.on('unhandledRejection', () => {});\n${rejection}`, ['--unhandled-rejections=warn-with-error-code']);
    expect(listened.without.code).toBe(0);
    expect(listened.withSdk.code).toBe(0);
    expect(listened.withSdk.stderr).toBe(listened.without.stderr);
    expect(listened.events()).toEqual([expect.objectContaining({ message: 'rejected load', level: 'error' })]);
  });

  it("reports an ES module's top-level error with its file path and exits as Node does", async () => {
    const source = `import { initPixel } from ${JSON.stringify(esmEntry)};
if (process.env.WITH_SDK) initPixel({ projectKey: 'pk_test_crash', ingestUrl: process.env.INGEST });
class Config { constructor() { throw new SyntaxError('bad config'); } }
new Config();
`;
    const { without, withSdk, events } = await runBoth(source, [], 'src/main.mjs');
    expect(withSdk.code).toBe(1);
    expect(withSdk.stderr).toBe(without.stderr);
    const [event] = events();
    expect(event).toMatchObject({ type: 'SyntaxError', message: 'bad config', level: 'fatal' });
    expect(event!.stack[0]).toMatchObject({ file: 'src/main.mjs', line: 3, fn: 'new Config', in_app: true });
  });
});

describe('ES module frame paths', () => {
  it('strips the query and hash of an ES module imported as ./x.mjs?t=123 (dev servers and HMR do), so its code context is found', async () => {
    const app = makeApp();
    app.write('src/route.mjs', `export function handle() {\n  throw new RangeError('cache-busted module');\n}\n`);
    const script = app.write('src/main.mjs', `import { initPixel } from ${JSON.stringify(esmEntry)};
initPixel({ projectKey: 'pk_test_crash', ingestUrl: process.env.INGEST });
const { handle } = await import('./route.mjs?t=123#hot');
setTimeout(handle, 5);
`);
    const before = ingest().received.length;
    const result = await app.run(script, { env: { INGEST: ingest().url } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('route.mjs?t=123#hot:2');
    const [event, ...rest] = ingest().events.slice(before);
    expect(rest).toHaveLength(0);
    expect(event!.stack[0]).toMatchObject({ file: 'src/route.mjs', line: 2, fn: 'Timeout.handle [as _onTimeout]', in_app: true });
    expect(event!.code_context).toMatchObject({ file: 'src/route.mjs', error_line: 2, start_line: 1 });
    expect(event!.code_context.lines).toEqual(['export function handle() {', "  throw new RangeError('cache-busted module');", '}']);
  });
});
