// An application that bundles the SDK into its own output (esbuild here; webpack does the same):
// the SDK's code then lives in the app's bundle file, and the app's frames must not be taken
// for the SDK's.
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { makeApp } from './helpers/child-app.js';
import { esmEntry } from './helpers/build.js';
import { useIngestServer } from './helpers/ingest-server.js';

const ingest = useIngestServer();

describe('SDK bundled into the application', () => {
  it('keeps the bundle\'s app frames in app, with code context', async () => {
    const app = makeApp();
    const entry = app.write('src/main.js', `import { initPixel } from ${JSON.stringify(esmEntry)};
initPixel({ projectKey: 'pk_test_bundled', ingestUrl: process.env.INGEST });
function handleRequest() {
  throw new Error('bundled crash');
}
setTimeout(handleRequest, 5);
`);
    const outfile = `${app.dir}/out/server/main.js`;
    await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', outfile, logLevel: 'silent' });
    const before = ingest().received.length;
    const result = await app.run(outfile, { env: { INGEST: ingest().url } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Error: bundled crash');
    const [event, ...rest] = ingest().events.slice(before);
    expect(rest).toEqual([]);
    expect(event).toMatchObject({ message: 'bundled crash', level: 'fatal' });
    expect(event!.stack[0]).toMatchObject({ file: 'out/server/main.js', fn: expect.stringContaining('handleRequest'), in_app: true });
    expect(event!.code_context).toMatchObject({ file: 'out/server/main.js', error_line: event!.stack[0].line });
    expect(event!.code_context.lines.join('\n')).toContain('throw new Error("bundled crash")');
  });
});
