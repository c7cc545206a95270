// `ez-pixel sourcemaps upload` against a real `ez-pixel serve` (the built CLI, child processes,
// HTTP on 127.0.0.1, SQLite): real esbuild builds are uploaded per release, and serve maps the
// browser events of that release with them. Every refusal has its exit code and message.
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { killServers, runCli, startCliServer, type CliServer } from './helpers/cli-server.js';
import { postEvent } from './helpers/ingest.js';
import { buildFixture, changeMain, copySourceMapFixture, v8CrashEvent, type WireFrame } from './helpers/source-map-builds.js';

const token = randomBytes(24).toString('hex');
const key = 'pk_test_uploads0123456789';
const env = {
  EZ_PIXEL_ADMIN_TOKEN: token,
  EZ_PIXEL_DATABASE: undefined,
  EZ_PIXEL_PROJECT_KEY: undefined,
  EZ_PIXEL_INGEST_URL: undefined,
  VITE_EZ_PIXEL_PROJECT_KEY: undefined,
  VITE_EZ_PIXEL_INGEST_URL: undefined,
  VITE_EZ_PIXEL_RELEASE: undefined,
};

let project: string;
beforeEach(() => {
  project = copySourceMapFixture();
});
afterEach(() => {
  killServers();
  rmSync(project, { recursive: true, force: true });
});

async function startServe(args: string[] = []): Promise<CliServer> {
  const database = join(project, 'serve.db');
  const added = await runCli(['keys', 'add', '--database', database, '--key', key], { env });
  expect(added.code, added.stderr).toBe(0);
  return startCliServer('serve', ['--database', database, ...args], env);
}

const upload = (serve: Pick<CliServer, 'url'>, args: string[], extraEnv: Record<string, string | undefined> = {}) =>
  runCli(['sourcemaps', 'upload', '--url', serve.url, '--key', key, '--cwd', project, ...args], { env: { ...env, ...extraEnv } });

async function storedEvents(serve: CliServer): Promise<{ event_id: string; stack: WireFrame[]; fingerprint: string; code_context: unknown }[]> {
  const response = await fetch(`${serve.origin}/events?limit=50`, { headers: { authorization: `Bearer ${token}` } });
  return ((await response.json()) as { events: never[] }).events;
}

describe('sourcemaps upload to serve', () => {
  it('maps the events of an uploaded release, groups two builds as one, and leaves other events as sent', async () => {
    const serve = await startServe();
    const firstScript = buildFixture(project);
    const uploaded = await upload(serve, ['--release', '1.0.0']);
    expect(uploaded.code, uploaded.stderr).toBe(0);
    expect(uploaded.stdout).toBe(`${firstScript}\n`);
    expect(uploaded.stderr).toContain('uploaded 1 source maps for release 1.0.0');

    const first = v8CrashEvent(project, firstScript, 'dist', { project_key: key, release: '1.0.0' });
    const one = await postEvent(serve.url, first);
    expect(one.status).toBe(201);
    expect(one.body.fingerprint).not.toBe(first.fingerprint);

    changeMain(project);
    rmSync(join(project, 'dist'), { recursive: true });
    const secondScript = buildFixture(project);
    expect((await upload(serve, ['--release', '1.1.0', 'dist'])).code).toBe(0);
    const second = v8CrashEvent(project, secondScript, 'dist', { project_key: key, release: '1.1.0' });
    const two = await postEvent(serve.url, second);
    expect(two.body).toMatchObject({ fingerprint: one.body.fingerprint, new_group: false });

    // No release, or a release with no maps: stored as sent.
    const bare = v8CrashEvent(project, secondScript, 'dist', { project_key: key });
    expect((await postEvent(serve.url, bare)).body.fingerprint).toBe(bare.fingerprint);
    const unknown = v8CrashEvent(project, secondScript, 'dist', { project_key: key, release: '9.9.9' });
    expect((await postEvent(serve.url, unknown)).body.fingerprint).toBe(unknown.fingerprint);

    const stored = await storedEvents(serve);
    const byId = new Map(stored.map((event) => [event.event_id, event]));
    for (const sent of [first, second]) {
      const event = byId.get(sent.event_id as string)!;
      expect(event.stack[0]).toMatchObject({ file: 'src/cart.js', line: 5, fn: 'checkout', in_app: true });
      expect(event.code_context).toMatchObject({ file: 'src/cart.js', error_line: 5, start_line: 1 });
    }
    expect(byId.get(bare.event_id as string)!.stack).toEqual(bare.stack);
    expect(byId.get(unknown.event_id as string)!.stack).toEqual(unknown.stack);
  });

  it('replaces a release on a re-upload: the old build\'s scripts are no longer mapped', async () => {
    const serve = await startServe();
    const oldScript = buildFixture(project);
    expect((await upload(serve, ['--release', '2.0.0'])).code).toBe(0);
    const early = v8CrashEvent(project, oldScript, 'dist', { project_key: key, release: '2.0.0' });
    expect((await postEvent(serve.url, early)).body.fingerprint).not.toBe(early.fingerprint);

    changeMain(project);
    rmSync(join(project, 'dist'), { recursive: true });
    const newScript = buildFixture(project);
    expect((await upload(serve, ['--release', '2.0.0'])).code).toBe(0);
    const late = v8CrashEvent(project, newScript, 'dist', { project_key: key, release: '2.0.0' });
    expect((await postEvent(serve.url, late)).body.fingerprint).not.toBe(late.fingerprint);
    const stale = { ...early, event_id: crypto.randomUUID() };
    expect((await postEvent(serve.url, stale)).body.fingerprint).toBe(early.fingerprint);
  });

  it('exits 3 naming the bundler switches when the build has no maps, or there is no build', async () => {
    const serve = await startServe();
    const none = await upload(serve, ['--release', '1.0.0']);
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('no build output found in dist, build, out, .next, .svelte-kit/output/client, build/client, .output/public');
    buildFixture(project, { sourcemap: false });
    const unmapped = await upload(serve, ['--release', '1.0.0']);
    expect(unmapped.code).toBe(3);
    expect(unmapped.stderr).toContain('1 scripts in dist, build, out, .next, .svelte-kit/output/client, build/client, .output/public, and none has a source map');
    expect(unmapped.stderr).toContain('Vite build.sourcemap, webpack devtool, esbuild --sourcemap, Next.js productionBrowserSourceMaps');
    const missing = await upload(serve, ['--release', '1.0.0', 'public']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('public holds no scripts');
  });

  it('exits 1 when serve is unreachable, refuses the token (401), or the upload is too large (413)', async () => {
    buildFixture(project);
    const closed = await upload({ url: 'http://127.0.0.1:9/ingest' }, ['--release', '1.0.0']);
    expect(closed.code).toBe(1);
    expect(closed.stderr).toContain('cannot reach serve at http://127.0.0.1:9/api/sourcemaps');

    const serve = await startServe(['--max-upload-mb', '1']);
    const wrong = await upload(serve, ['--release', '1.0.0'], { EZ_PIXEL_ADMIN_TOKEN: randomBytes(24).toString('hex') });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('answered 401');
    expect(wrong.stderr).toContain('the public project key is not enough');

    // A map past the 1 MB limit (a big app's), as the gzipped upload too: read to its end by serve, then refused with 413.
    mkdirSync(join(project, 'dist', 'vendor'));
    writeFileSync(join(project, 'dist', 'vendor', 'big.js'), 'void 0;\n//# sourceMappingURL=big.js.map\n');
    const bigMap = (content: string) =>
      writeFileSync(join(project, 'dist', 'vendor', 'big.js.map'), JSON.stringify({ version: 3, sources: ['x.js'], sourcesContent: [content], names: [], mappings: 'AAAA' }));
    bigMap(randomBytes(3 << 20).toString('base64'));
    const large = await upload(serve, ['--release', '1.0.0']);
    expect(large.code).toBe(1);
    expect(large.stderr).toContain("answered 413: the upload is above this serve's limit of 1 MB");
    expect(large.stderr).toMatch(/the upload was [34] MB gzipped: raise serve --max-upload-mb/);
    // Small on the wire, past the limit once unzipped.
    bigMap('x'.repeat(3 << 20));
    const unzipped = await upload(serve, ['--release', '1.0.0']);
    expect(unzipped.code).toBe(1);
    expect(unzipped.stderr).toContain("answered 413: the upload is above this serve's limit of 1 MB");
    // Once the big map is gone, the same build goes up.
    rmSync(join(project, 'dist', 'vendor'), { recursive: true });
    expect((await upload(serve, ['--release', '1.0.1'])).code).toBe(0);
  });

  it('needs the admin token, a project key serve knows, and a release', async () => {
    buildFixture(project);
    const serve = await startServe();
    const noToken = await upload(serve, ['--release', '1.0.0'], { EZ_PIXEL_ADMIN_TOKEN: undefined });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('sourcemaps upload needs an admin token');
    const noRelease = await upload(serve, []);
    expect(noRelease.code).toBe(2);
    const stranger = await runCli(['sourcemaps', 'upload', '--url', serve.url, '--key', 'pk_test_stranger', '--cwd', project, '--release', '1'], { env });
    expect(stranger.code).toBe(1);
    expect(stranger.stderr).toContain('answered 400: pk_test_stranger is not an active project key of this serve');

    // Without the token, nothing reaches the database, whatever the body.
    const forged = await fetch(`${serve.origin}/api/sourcemaps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ project_key: key, release: '1.0.0', maps: [{ file: 'assets/a.js', path: 'dist/a.js.map', map: '{"version":3,"sources":[],"names":[],"mappings":""}' }] }),
    });
    expect(forged.status).toBe(401);
    const bad = await fetch(`${serve.origin}/api/sourcemaps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ project_key: key, release: '1.0.0', maps: [{ file: '../etc/a.js', path: 'dist/a.js.map', map: '{}' }] }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain("maps[0].file must be a script's URL path");
  });

  it('never sends a map that a symlink puts outside the project', async () => {
    const serve = await startServe();
    const script = buildFixture(project);
    // A file elsewhere on the machine that parses as a map: through the link it would be sent to serve.
    const outside = mkdtempSync(join(tmpdir(), 'ez-pixel-outside-'));
    try {
      writeFileSync(join(outside, 'secret.map'), JSON.stringify({ version: 3, sources: ['secret.js'], sourcesContent: ['AWS_SECRET=x'], names: [], mappings: 'AAAA' }));
      writeFileSync(join(project, 'dist', 'leak.js'), 'void 0;\n//# sourceMappingURL=leak.js.map\n');
      symlinkSync(join(outside, 'secret.map'), join(project, 'dist', 'leak.js.map'));
      const uploaded = await upload(serve, ['--release', '1.0.0']);
      expect(uploaded.code, uploaded.stderr).toBe(0);
      expect(uploaded.stdout).toBe(`${script}\n`);
      expect(uploaded.stderr).toContain('uploaded 1 source maps for release 1.0.0');
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('listen takes no uploads and says where it reads maps from', async () => {
    buildFixture(project);
    const listener = await startCliServer('listen', ['--database', join(project, 'events.db')], env, [], project);
    const tried = await upload(listener, ['--release', '1.0.0']);
    expect(tried.code).toBe(1);
    expect(tried.stderr).toContain('listen reads source maps from the build output');
  });

  it("takes a Vite app's key, URL and release the way its build does: the environment, then .env.production over .env; a flag wins", async () => {
    const serve = await startServe();
    // A Vite app as install leaves it: VITE_EZ_PIXEL_* in .env, the release for production builds in .env.production.
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'shop', private: true, type: 'module', scripts: { build: 'vite build' }, devDependencies: { vite: '^7.1.0' } }));
    writeFileSync(join(project, 'index.html'), '<!doctype html>\n<script type="module" src="/src/main.js"></script>\n');
    writeFileSync(join(project, '.env'), `VITE_EZ_PIXEL_PROJECT_KEY='${key}'\r\nVITE_EZ_PIXEL_INGEST_URL='${serve.url}'\r\nVITE_EZ_PIXEL_RELEASE='0.0.1'\r\n`);
    writeFileSync(join(project, '.env.production'), "VITE_EZ_PIXEL_RELEASE='3.1.0'\n");
    const script = buildFixture(project);
    const bare = (args: string[] = [], extraEnv: Record<string, string> = {}) => runCli(['sourcemaps', 'upload', '--cwd', project, ...args], { env: { ...env, ...extraEnv } });

    const fromFiles = await bare();
    expect(fromFiles.code, fromFiles.stderr).toBe(0);
    expect(fromFiles.stderr).toContain(`uploaded 1 source maps for release 3.1.0 to ${serve.origin}`);
    const event = v8CrashEvent(project, script, 'dist', { project_key: key, release: '3.1.0' });
    expect((await postEvent(serve.url, event)).body.fingerprint).not.toBe(event.fingerprint);

    expect((await bare([], { VITE_EZ_PIXEL_RELEASE: '3.2.0' })).stderr).toContain('for release 3.2.0');
    expect((await bare(['--release', '3.3.0'], { VITE_EZ_PIXEL_RELEASE: '3.2.0' })).stderr).toContain('for release 3.3.0');
    // EZ_PIXEL_* is not what a Vite build gives the page: it does not override VITE_EZ_PIXEL_*.
    expect((await bare([], { EZ_PIXEL_PROJECT_KEY: 'pk_test_elsewhere0123456789' })).code).toBe(0);

    writeFileSync(join(project, '.env.production.local'), "VITE_EZ_PIXEL_PROJECT_KEY='not-a-key'\n");
    const wrongKey = await bare();
    expect(wrongKey.code).toBe(2);
    expect(wrongKey.stderr).toContain('"not-a-key" (VITE_EZ_PIXEL_PROJECT_KEY in .env.production.local) is not a project key');
    rmSync(join(project, '.env.production.local'));

    writeFileSync(join(project, '.env'), '');
    rmSync(join(project, '.env.production'));
    const nothing = await bare();
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('(or set VITE_EZ_PIXEL_RELEASE, which the build gives the page)');
    const noKey = await bare(['--release', '1']);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('the project key is not set: pass --key pk_live_… (or set VITE_EZ_PIXEL_PROJECT_KEY)');
    const noUrl = await bare(['--release', '1', '--key', key]);
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toContain('the serve URL is not set: pass --url https://errors.example.com (or set VITE_EZ_PIXEL_INGEST_URL)');
  });

  it('sends a script two default folders serve as the same URL path once, from the first (SvelteKit and adapter-node)', async () => {
    const serve = await startServe();
    const script = buildFixture(project, { outdir: '.svelte-kit/output/client' });
    cpSync(join(project, '.svelte-kit', 'output', 'client'), join(project, 'build', 'client'), { recursive: true });
    const uploaded = await upload(serve, ['--release', '5.0.0']);
    expect(uploaded.code, uploaded.stderr).toBe(0);
    expect(uploaded.stdout.split('\n').filter((line) => line === script)).toHaveLength(1);
    const event = v8CrashEvent(project, script, '.svelte-kit/output/client', { project_key: key, release: '5.0.0' });
    expect((await postEvent(serve.url, event)).status).toBe(201);
    const stored = (await storedEvents(serve)).find((one) => one.event_id === event.event_id)!;
    expect(stored.stack[0]).toMatchObject({ file: 'src/cart.js', line: 5, fn: 'checkout' });
  });
});
