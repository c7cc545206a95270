// How a dying process delivers its events. To plain http on a loopback address (what
// `ez-pixel listen` serves) the main thread POSTs them itself, synchronously, with no worker
// thread to boot; to any other ingest a worker thread does. Either way the crash is printed and
// the exit code is Node's own, byte for byte, and every wait is bounded by shutdownTimeoutMs.
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeApp, printWaitAtExit, waitedAtExit } from './helpers/child-app.js';
import { cjsEntry } from './helpers/build.js';
import { IngestServer, useIngestServer } from './helpers/ingest-server.js';

const ingest = useIngestServer();

const app = (options = '') => `const { initPixel, reportPixel } = require(${JSON.stringify(cjsEntry)});
if (process.env.WITH_SDK) initPixel({ projectKey: 'pk_test_courier', ingestUrl: process.env.INGEST, ${options} });
let crashedAt;
${printWaitAtExit('crashedAt')}
function explode() {
  // Reported in the crash's own tick: all four events are still to send when the process dies.
  for (const n of [1, 2, 3]) reportPixel('pending ' + n, { context: { n, padding: 'x'.repeat(n === 3 ? 50_000 : 10) } });
  crashedAt = performance.now();
  throw new Error('crash ' + process.env.INGEST);
}
setTimeout(explode, 5);
`;
/** NODE_DEBUG=worker makes Node log every worker thread it starts on stderr. */
const withWorkerLog = { NODE_DEBUG: 'worker' };
const spooled = (cacheDir: string) => (existsSync(cacheDir) ? readdirSync(cacheDir, { recursive: true }).filter((f) => String(f).endsWith('.json')) : []);

/** The crash with and without the SDK, with Node's worker log on unless told otherwise. */
async function crashBoth(url: string, { options = '', log = withWorkerLog, nodeArgs = [] as string[] } = {}) {
  const dir = makeApp();
  const script = dir.write('app.js', app(options));
  const without = await dir.run(script, { nodeArgs, env: { INGEST: url, ...log } });
  const withSdk = await dir.run(script, { nodeArgs, env: { INGEST: url, WITH_SDK: '1', ...log } });
  return { without, withSdk, cacheDir: dir.cacheDir, script, run: dir.run };
}

describe('delivery before a crash exits', () => {
  it('POSTs to a loopback ingest from the main thread: no worker is started, and the output is Node’s own', async () => {
    const ipv6 = await IngestServer.start('::1').catch(() => null); // null: no IPv6 loopback here
    try {
      for (const server of ipv6 ? [ingest(), ipv6] : [ingest()]) {
        const before = server.received.length;
        const { without, withSdk, cacheDir } = await crashBoth(server.url);
        expect(without.code).toBe(1);
        expect(withSdk.code).toBe(1);
        // No "instantiating Worker" line, nor anything else: the same bytes as without the SDK.
        expect(withSdk.stderr).toBe(without.stderr);
        expect(withSdk.stderr).toContain(`Error: crash ${server.url}`);
        const received = server.received.slice(before);
        expect(received.map((r) => r.event.message).sort()).toEqual([`crash ${server.url}`, 'pending 1', 'pending 2', 'pending 3']);
        for (const { headers } of received) {
          expect(headers).toMatchObject({ 'content-type': 'application/json', 'x-pixel-key': 'pk_test_courier', 'user-agent': expect.stringMatching(/^ez-pixel-node\//) });
        }
        expect(received.find((r) => r.event.message === 'pending 3')!.event.context.padding).toHaveLength(50_000);
        expect(spooled(cacheDir)).toEqual([]);
      }
    } finally {
      await ipv6?.close();
    }
  });

  it('POSTs to any other ingest from a worker thread, with the same output and exit code', async () => {
    // localhost is a name, not a loopback address: resolving it is the worker's business.
    const url = ingest().url.replace('127.0.0.1', 'localhost');
    const before = ingest().received.length;
    const { without, withSdk, cacheDir, script, run } = await crashBoth(url, { log: {} });
    expect(withSdk.code).toBe(1);
    expect(withSdk.stderr).toBe(without.stderr);
    expect(ingest().events.slice(before).map((e) => e.message).sort()).toEqual([`crash ${url}`, 'pending 1', 'pending 2', 'pending 3']);
    expect(spooled(cacheDir)).toEqual([]);
    const logged = await run(script, { env: { INGEST: url, WITH_SDK: '1', ...withWorkerLog } });
    expect(logged.stderr).toContain('instantiating Worker');
  });

  it('leaves it to the worker under --pending-deprecation, where the handle it uses would print a warning', async () => {
    const before = ingest().received.length;
    const { without, withSdk } = await crashBoth(ingest().url, { nodeArgs: ['--pending-deprecation'] });
    expect(withSdk.code).toBe(1);
    expect(withSdk.stderr).toContain('instantiating Worker');
    expect(withSdk.stderr).not.toContain('DEP0111');
    expect(without.stderr).not.toContain('instantiating Worker');
    expect(ingest().events.slice(before)).toHaveLength(4);
  });

  it('retries a 503 from the main thread, drops what the ingest refuses and spools what it throttles', async () => {
    const server = await IngestServer.start();
    try {
      // The three pending events and the crash: 503 then 200, 400 (refused), 429 (left unsent), 200.
      server.reply({ status: 503 }, { status: 200 }, { status: 400 }, { status: 429 });
      const { withSdk, cacheDir } = await crashBoth(server.url);
      expect(withSdk.code).toBe(1);
      expect(withSdk.stderr).not.toContain('instantiating Worker');
      expect(server.received).toHaveLength(5);
      expect(spooled(cacheDir)).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('gives up at shutdownTimeoutMs when the loopback ingest never answers, and spools every event', async () => {
    const blackhole = await IngestServer.start();
    blackhole.fallback = 'stall';
    try {
      const { withSdk, cacheDir } = await crashBoth(blackhole.url, { options: 'shutdownTimeoutMs: 800' });
      expect(withSdk.code).toBe(1);
      expect(waitedAtExit(withSdk.stdout)).toBeGreaterThanOrEqual(700);
      expect(waitedAtExit(withSdk.stdout)).toBeLessThan(800 + 700);
      expect(spooled(cacheDir)).toHaveLength(4);
    } finally {
      await blackhole.close();
    }
  });
});
