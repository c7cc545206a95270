// src/ingest/source-maps.ts on its own: how a map's source paths become wire frame paths
// (spec/fingerprint.md "Browser events", point 2), and how a mapped library frame changes which
// frame the fingerprint picks. The end-to-end cases (real builds, a real listen) are in
// listen-source-maps.test.ts and runtimes/browser/test/chromium/source-maps.test.ts.
import { encode } from '@jridgewell/sourcemap-codec';
import { TraceMap } from '@jridgewell/trace-mapping';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../runtimes/node/src/fingerprint.js';
import { applySourceMaps, normaliseSourcePath } from '../src/ingest/source-maps.js';
import type { IngestEvent } from '../src/ingest/event.js';
import { makeEvent } from './helpers/ingest.js';

describe('normaliseSourcePath', () => {
  it.each([
    ['webpack://shop/./src/App.jsx', '', 'src/App.jsx', true],
    ['webpack:///./src/App.jsx', '', 'src/App.jsx', true],
    ['/home/dev/shop/src/App.jsx', '/home/dev/shop/', 'src/App.jsx', true],
    ['file:///home/dev/shop/src/a%20b.jsx', '/home/dev/shop/', 'src/a b.jsx', true],
    ['../../src/App.jsx', '', 'src/App.jsx', true],
    ['./src/lib/../App.jsx', '', 'src/App.jsx', true],
    ['src/App.tsx?v=3', '', 'src/App.tsx', true],
    ['webpack://shop/./node_modules/react-dom/cjs/react-dom.production.js', '', 'react-dom/cjs/react-dom.production.js', false],
    ['/home/dev/shop/node_modules/.pnpm/lodash@4.17.21/node_modules/lodash/get.js', '/home/dev/shop/', 'lodash/get.js', false],
    ['src/my_node_modules/x.js', '', 'src/my_node_modules/x.js', true],
  ])('%s (root %j) is %s', (source, root, file, inApp) => {
    expect(normaliseSourcePath(source, root)).toEqual({ file, in_app: inApp });
  });
});

describe('applySourceMaps', () => {
  // One generated line: column 0 maps into the app's cart.js line 3 (named at the call site
  // `checkout`), column 10 into lodash's get.js line 2.
  const map = new TraceMap({
    version: 3,
    sources: ['webpack://shop/./src/cart.js', 'webpack://shop/./node_modules/lodash/get.js'],
    sourcesContent: ['// cart\nexport function checkout(cart) {\n  return get(cart, "items").length;\n}\n', 'export function get(o, k) {\n  return o[k].x;\n}\n'],
    names: ['checkout'],
    mappings: encode([[[0, 0, 2, 9], [10, 1, 1, 2], [20, 0, 2, 2, 0]]]),
  });
  const browserEvent = (stack: IngestEvent['stack']) =>
    makeEvent({ type: 'TypeError', message: 'o[k] is undefined', runtime: 'browser-firefox-133.0', stack }) as IngestEvent;

  it('maps a library frame to a library path, so the fingerprint picks the app frame, named from its caller', async () => {
    const sent = browserEvent([
      { file: 'assets/index-1.js', line: 1, col: 11, fn: 'g', in_app: true },
      { file: 'assets/index-1.js', line: 1, col: 1, fn: 'c', in_app: true },
      { file: 'assets/index-1.js', line: 1, col: 21, fn: 'h', in_app: true },
    ]);
    const mapped = await applySourceMaps(sent, async () => ({ map, root: '' }));
    expect(mapped.stack).toEqual([
      { file: 'lodash/get.js', line: 2, col: 3, fn: 'g', in_app: false },
      { file: 'src/cart.js', line: 3, col: 10, fn: 'checkout', in_app: true },
      { file: 'src/cart.js', line: 3, col: 3, fn: 'h', in_app: true },
    ]);
    expect(mapped.code_context).toMatchObject({ file: 'src/cart.js', error_line: 3, start_line: 1 });
    const expected = fingerprint({
      kind: 'error',
      type: 'TypeError',
      message: 'o[k] is undefined',
      logger: null,
      frames: [{ file: 'src/cart.js', line: 3, fn: 'checkout', in_app: true, source: '  return get(cart, "items").length;' }],
    });
    expect(mapped.fingerprint).toBe(expected);
  });

  it('takes the name the caller frame calls: the frame below a call to `checkout` is checkout', async () => {
    const sent = browserEvent([
      { file: 'assets/index-1.js', line: 1, col: 11, fn: 'x', in_app: true },
      { file: 'assets/index-1.js', line: 1, col: 21, fn: 'y', in_app: true },
    ]);
    const mapped = await applySourceMaps(sent, async () => ({ map, root: '' }));
    expect(mapped.stack.map((frame) => frame.fn)).toEqual(['checkout', 'y']);
  });

  it('keeps a frame the map does not cover, and the whole event when a lookup throws', async () => {
    const sent = browserEvent([
      { file: 'https://cdn.example.com/widget.js', line: 1, col: 5, fn: 'w', in_app: false },
      { file: 'assets/index-1.js', line: 9, col: 1, fn: 'c', in_app: true },
    ]);
    expect(await applySourceMaps(sent, async () => ({ map, root: '' }))).toBe(sent);
    expect(await applySourceMaps(sent, async () => { throw new Error('disk gone'); })).toBe(sent);
  });
});
