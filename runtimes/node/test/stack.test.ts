// V8 stack parsing and frame paths: file:// URLs, async, new, anonymous, eval, Windows paths,
// node_modules, node: internals, and the SDK's own frames removed.
import { describe, expect, it } from 'vitest';
import * as parse from '../src/stack-parse.js';
import * as paths from '../src/frame-paths.js';

const STACK = `TypeError: Cannot read properties of undefined (reading 'id')
    at getUser (file:///srv/app/src/routes/users.mjs:18:15)
    at async Promise.all (index 0)
    at async handler (file:///srv/app/src/server.mjs:9:3)
    at new Server (/srv/app/lib/server.js:4:11)
    at /srv/app/index.js:7:20
    at Array.map (<anonymous>)
    at Layer.handle [as handle_request] (/srv/app/node_modules/express/lib/router/layer.js:95:5)
    at eval (eval at compile (/srv/app/src/template.js:12:10), <anonymous>:1:7)
    at Object.<anonymous> (C:\\Users\\dev\\app\\src\\main.js:3:9)
    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)
    at report (/srv/app/node_modules/@ez-pixel/node/dist/cjs/index.js:40:9)
    at async file:///srv/app/src/boot.mjs:2:1`;

describe('parseV8Stack', () => {
  it('reads every kind of frame, innermost first', () => {
    expect(parse.parseV8Stack(STACK).map((f) => [f.fn, f.location, f.line, f.col])).toEqual([
      ['getUser', 'file:///srv/app/src/routes/users.mjs', 18, 15],
      ['async Promise.all', 'native', 0, 0],
      ['async handler', 'file:///srv/app/src/server.mjs', 9, 3],
      ['new Server', '/srv/app/lib/server.js', 4, 11],
      ['<anonymous>', '/srv/app/index.js', 7, 20],
      ['Array.map', '<anonymous>', 0, 0],
      ['Layer.handle [as handle_request]', '/srv/app/node_modules/express/lib/router/layer.js', 95, 5],
      ['eval', '/srv/app/src/template.js', 12, 10],
      ['Object.<anonymous>', 'C:\\Users\\dev\\app\\src\\main.js', 3, 9],
      ['process.processTicksAndRejections', 'node:internal/process/task_queues', 95, 5],
      ['report', '/srv/app/node_modules/@ez-pixel/node/dist/cjs/index.js', 40, 9],
      ['async <anonymous>', 'file:///srv/app/src/boot.mjs', 2, 1],
    ]);
  });

  it('follows nested eval origins to the file that called eval', () => {
    const [frame] = parse.parseV8Stack('Error: x\n    at eval (eval at f (eval at g (/srv/app/a.js:3:9), <anonymous>:1:1), <anonymous>:2:5)');
    expect(frame).toEqual({ fn: 'eval', location: '/srv/app/a.js', line: 3, col: 9 });
  });

  it('ignores the message lines, even multi-line ones', () => {
    expect(parse.parseV8Stack('Error: first\nsecond line at x (y.js:1:1)\n    at f (/a.js:1:2)')).toHaveLength(1);
  });
});

describe('locateFrame', () => {
  const roots = { root: '/srv/app/', sdkDir: '/opt/sdk/dist/' };
  const locate = (location: string, fn = 'f') => paths.locateFrame({ fn, location, line: 1, col: 2 }, roots);

  it('makes in-app paths relative to the project root, file:// URLs included', () => {
    expect(locate('file:///srv/app/src/routes/users.mjs')?.frame).toEqual({ file: 'src/routes/users.mjs', line: 1, col: 2, fn: 'f', in_app: true });
    expect(locate('file:///srv/app/src/a%20b.mjs')?.frame.file).toBe('src/a b.mjs');
    expect(locate('file:///srv/app/src/hot.mjs?t=1700000000#x')).toMatchObject({ frame: { file: 'src/hot.mjs' }, absolutePath: '/srv/app/src/hot.mjs' });
    expect(locate('file:///srv/app/src/what%3F%23.mjs')?.frame.file).toBe('src/what?#.mjs');
    expect(locate('/srv/app/index.js')?.absolutePath).toBe('/srv/app/index.js');
  });

  it('keeps library paths after the last node_modules/', () => {
    expect(locate('/srv/app/node_modules/a/node_modules/express/lib/router/layer.js')?.frame).toMatchObject({ file: 'express/lib/router/layer.js', in_app: false });
  });

  it("reads webpack:// sources: a package's own build is a library frame, the app's ./ modules are app frames", () => {
    expect(locate('webpack://next/dist/esm/server/future/route-modules/app-route/module.js')).toEqual({
      frame: { file: 'next/dist/esm/server/future/route-modules/app-route/module.js', line: 1, col: 2, fn: 'f', in_app: false },
      absolutePath: null,
    });
    expect(locate('webpack://next/dist/compiled/react-server-dom-webpack/cjs/server.edge.js?abc')?.frame).toMatchObject({ file: 'next/dist/compiled/react-server-dom-webpack/cjs/server.edge.js', in_app: false });
    expect(locate('webpack://shop/./src/routes/cart.ts')).toEqual({ frame: { file: 'src/routes/cart.ts', line: 1, col: 2, fn: 'f', in_app: true }, absolutePath: null });
    expect(locate('webpack://web/../../packages/ui/src/button.tsx')?.frame).toMatchObject({ file: 'packages/ui/src/button.tsx', in_app: true });
    expect(locate('webpack://shop/./node_modules/zod/lib/index.mjs')?.frame).toMatchObject({ file: 'zod/lib/index.mjs', in_app: false });
  });

  it('keeps node: internals and markers as they are, not in app', () => {
    expect(locate('node:internal/process/task_queues')?.frame).toMatchObject({ file: 'node:internal/process/task_queues', in_app: false });
    expect(locate('native')?.frame).toMatchObject({ file: 'native', in_app: false });
  });

  it("drops the SDK's own frames, installed or from its dist directory", () => {
    expect(locate('/srv/app/node_modules/@ez-pixel/node/dist/esm/index.js')).toBeNull();
    expect(locate('/opt/sdk/dist/cjs/pixel-client.js')).toBeNull();
  });

  it('handles Windows paths and file:///C:/ URLs, case-insensitively against the root', () => {
    const windows = { root: 'C:/Users/dev/app/', sdkDir: null };
    expect(paths.locateFrame({ fn: 'main', location: 'C:\\Users\\dev\\app\\src\\main.js', line: 3, col: 9 }, windows)?.frame).toMatchObject({ file: 'src/main.js', in_app: true });
    expect(paths.locateFrame({ fn: 'main', location: 'file:///c:/Users/dev/app/src/main.mjs', line: 3, col: 9 }, windows)?.frame.file).toBe('src/main.mjs');
    expect(paths.locateFrame({ fn: 'x', location: 'C:\\Users\\dev\\app\\node_modules\\pg\\lib\\client.js', line: 1, col: 1 }, windows)?.frame).toMatchObject({ file: 'pg/lib/client.js', in_app: false });
  });
});
