// spec/fingerprint.md "Browser events", point 2, at a real `ez-pixel listen` (the built CLI, real
// HTTP on 127.0.0.1): browser events whose frames point into real esbuild bundles are mapped
// through the build's source maps, shown at the original file and line with code context, and
// grouped by a fingerprint that is the same for two builds of the unchanged function.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { killServers, root, startCliServer } from './helpers/cli-server.js';
import { fixturesDir } from './helpers/fixtures.js';
import { getJson, postEvent } from './helpers/ingest.js';
import { buildFixture, changeMain, copySourceMapFixture, v8CrashEvent, type WireFrame } from './helpers/source-map-builds.js';

let project: string;
beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'cli.js'))) throw new Error('build the CLI first: npm run build');
});
beforeEach(() => {
  project = copySourceMapFixture();
});
afterEach(() => {
  killServers();
  rmSync(project, { recursive: true, force: true });
});

const crashEvent = (script: string, dir = 'dist') => v8CrashEvent(project, script, dir);

const startListen = (args: string[] = []) => startCliServer('listen', ['--database', join(project, 'events.db'), '--json', ...args], {}, [], project);

describe('listen maps browser events through the build output source maps', () => {
  it('shows two builds of an unchanged function at src/cart.js with code context, in one group', async () => {
    const first = crashEvent(buildFixture(project));
    changeMain(project);
    const second = crashEvent(buildFixture(project));
    const [a, b] = [first.stack as WireFrame[], second.stack as WireFrame[]];
    // The two builds really differ where the error is thrown: another bundle, another position.
    expect(a[0]!.file).not.toBe(b[0]!.file);
    expect(a[0]!.col).not.toBe(b[0]!.col);
    expect(first.fingerprint).not.toBe(second.fingerprint);

    const listener = await startListen();
    const one = await postEvent(listener.url, first);
    const two = await postEvent(listener.url, second);
    expect([one.status, two.status]).toEqual([201, 201]);
    expect(one.body.new_group).toBe(true);
    expect(two.body.new_group).toBe(false);
    expect(two.body.fingerprint).toBe(one.body.fingerprint);
    expect(one.body.fingerprint).not.toBe(first.fingerprint);

    for (const sent of [first, second]) {
      const line = JSON.parse(await listener.nextLine()) as { event: Record<string, unknown> };
      const { event } = line;
      const stack = event.stack as WireFrame[];
      expect(stack[0]).toMatchObject({ file: 'src/cart.js', line: 5, fn: 'checkout', in_app: true });
      // The function's name comes from its caller's call site; the outermost frame has none mapped and keeps its own.
      // main.js got a line (the banner import) in the second build.
      expect(stack[1]).toMatchObject({ file: 'src/main.js', line: sent === first ? 4 : 5, fn: (sent.stack as WireFrame[])[1]!.fn, in_app: true });
      expect(event.code_context).toEqual({
        file: 'src/cart.js',
        error_line: 5,
        start_line: 1,
        lines: readFileSync(join(fixturesDir, 'browser-source-maps', 'src', 'cart.js'), 'utf8').split('\n').slice(0, 10),
      });
      expect(event.event_id).toBe(sent.event_id);
    }
    // What the read API serves is what was stored: the mapped frames.
    const { body } = await getJson(`${listener.origin}/events?limit=10`);
    const stored = body.events as { stack: WireFrame[]; fingerprint: string }[];
    expect(stored.map((event) => [event.stack[0]!.file, event.stack[0]!.line, event.fingerprint])).toEqual([
      ['src/cart.js', 5, one.body.fingerprint],
      ['src/cart.js', 5, one.body.fingerprint],
    ]);
  });

  it('keeps the provisional fingerprint and the frames as sent when the build has no maps', async () => {
    const sent = crashEvent(buildFixture(project, { sourcemap: false }));
    const listener = await startListen();
    const answer = await postEvent(listener.url, sent);
    expect(answer.status).toBe(201);
    expect(answer.body.fingerprint).toBe(sent.fingerprint);
    const { body } = await getJson(`${listener.origin}/events?limit=10`);
    const [stored] = body.events as Record<string, unknown>[];
    expect(stored!.stack).toEqual(sent.stack);
    expect(stored!.code_context).toBeNull();
  });

  it('stores the event as sent when the map is corrupt, and reads the map again once it is rebuilt', async () => {
    const script = buildFixture(project);
    const mapFile = join(project, 'dist', `${script}.map`);
    const good = readFileSync(mapFile, 'utf8');
    writeFileSync(mapFile, good.slice(0, good.length / 2));
    const sent = crashEvent(script);
    const listener = await startListen();
    const answer = await postEvent(listener.url, sent);
    expect(answer.status).toBe(201);
    expect(answer.body.fingerprint).toBe(sent.fingerprint);
    const [stored] = (await getJson(`${listener.origin}/events?limit=10`)).body.events as Record<string, unknown>[];
    expect(stored!.stack).toEqual(sent.stack);

    writeFileSync(mapFile, good);
    const again = await postEvent(listener.url, crashEvent(script));
    expect(again.status).toBe(201);
    expect(again.body.fingerprint).not.toBe(sent.fingerprint);
    const [latest] = (await getJson(`${listener.origin}/events?limit=1`)).body.events as { stack: WireFrame[] }[];
    expect(latest!.stack[0]).toMatchObject({ file: 'src/cart.js', line: 5 });
  });

  it('reads maps from the folders --source-maps names', async () => {
    const sent = crashEvent(buildFixture(project, { outdir: 'public/static' }), 'public/static');
    const usual = await startListen();
    expect((await postEvent(usual.url, sent)).body.fingerprint).toBe(sent.fingerprint);
    killServers();
    await usual.exited;
    const told = await startListen(['--source-maps', 'public/static']);
    const answer = await postEvent(told.url, { ...sent, event_id: crypto.randomUUID() });
    expect(answer.body.fingerprint).not.toBe(sent.fingerprint);
  });

  it('never reads a map outside the project: a frame path with ../ or a map that is a symlink out', async () => {
    const script = buildFixture(project);
    const outside = mkdtempSync(join(tmpdir(), 'ez-pixel-source-maps-outside-'));
    try {
      const mapFile = join(project, 'dist', `${script}.map`);
      cpSync(mapFile, join(outside, 'stolen.map'));
      rmSync(mapFile);
      symlinkSync(join(outside, 'stolen.map'), mapFile);
      const sent = crashEvent(script);
      const listener = await startListen();
      expect((await postEvent(listener.url, sent)).body.fingerprint).toBe(sent.fingerprint);

      // A frame naming a script above the build folder: the real map lies there, but is not read.
      mkdirSync(join(project, 'secret'));
      cpSync(join(outside, 'stolen.map'), join(project, 'secret', 'x.js.map'));
      const climbing = { ...sent, event_id: crypto.randomUUID(), stack: (sent.stack as WireFrame[]).map((f) => ({ ...f, file: '../secret/x.js' })) };
      const answer = await postEvent(listener.url, climbing);
      expect(answer.status).toBe(201);
      expect(answer.body.fingerprint).toBe(sent.fingerprint);
      const [stored] = (await getJson(`${listener.origin}/events?limit=1`)).body.events as { stack: WireFrame[] }[];
      expect(stored!.stack[0]!.file).toBe('../secret/x.js');
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('fingerprints a browser event sent without one (as the browser SDK sends): provisional without maps, mapped with them; other runtimes must send one', async () => {
    const script = buildFixture(project, { sourcemap: false });
    const { fingerprint: provisional, ...bare } = crashEvent(script);
    const listener = await startListen();
    const unmapped = await postEvent(listener.url, bare);
    expect(unmapped.status).toBe(201);
    // The spec's algorithm on the frames as sent (crashEvent computed it with the Node SDK's code, which the vectors check).
    expect(unmapped.body.fingerprint).toBe(provisional);
    const [stored] = (await getJson(`${listener.origin}/events?limit=1`)).body.events as { fingerprint: string }[];
    expect(stored!.fingerprint).toBe(provisional);

    const mappedScript = buildFixture(project);
    const { fingerprint: _, ...mappedBare } = crashEvent(mappedScript);
    const mapped = await postEvent(listener.url, mappedBare);
    expect(mapped.status).toBe(201);
    expect(mapped.body.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(mapped.body.fingerprint).not.toBe(provisional);

    const node = await postEvent(listener.url, { ...bare, event_id: crypto.randomUUID(), runtime: 'node-20.19.0' });
    expect(node.status).toBe(400);
    expect(node.body).toMatchObject({ error: 'invalid_event', field: 'fingerprint', message: 'fingerprint is required' });
  });

  it('leaves events from other runtimes alone, even with frames that a map would cover', async () => {
    const sent: Record<string, unknown> = { ...crashEvent(buildFixture(project)), runtime: 'node-20.19.0' };
    const listener = await startListen();
    const answer = await postEvent(listener.url, sent);
    expect(answer.body.fingerprint).toBe(sent.fingerprint);
    expect(readdirSync(join(project, 'dist', 'assets')).some((name) => name.endsWith('.map'))).toBe(true);
  });
});
