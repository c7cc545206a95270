// Stack text as Chrome, Firefox and Safari print it (captured from each), parsed into frames.
import { describe, expect, it } from 'vitest';
import { parseStack } from '../../src/stack.js';

const origin = 'http://127.0.0.1:5173';
const app = (file: string, line: number, col: number, fn: string) => ({ file, line, col, fn, in_app: true });

describe('Chrome (V8)', () => {
  it('named, anonymous, async, constructor, method alias and eval frames, innermost first', () => {
    const stack = [
      'TypeError: boom',
      `    at handleClick (${origin}/assets/index-4f1c2a.js:12:34)`,
      `    at ${origin}/assets/index-4f1c2a.js:1:99`,
      `    at async load (${origin}/src/App.jsx?t=1712:8:3)`,
      `    at new Widget (${origin}/src/widget.js#frag:3:9)`,
      `    at Object.run [as go] (${origin}/src/run.js:4:1)`,
      `    at eval (eval at boot (${origin}/src/boot.js:20:5), <anonymous>:1:7)`,
      `    at Array.forEach (<anonymous>)`,
      `    at dispatch (${origin}/node_modules/.vite/deps/react-dom.js?v=9a1:16:2)`,
      '    at https://cdn.example.com/lib.min.js:1:500',
      // Vite's dev server serves from /@vite/ and /@fs/: an `@` in a V8 frame's URL is not Firefox's separator.
      `    at ${origin}/@vite/client:10:5`,
    ].join('\n');
    expect(parseStack(stack, origin)).toEqual([
      app('assets/index-4f1c2a.js', 12, 34, 'handleClick'),
      app('assets/index-4f1c2a.js', 1, 99, '<anonymous>'),
      app('src/App.jsx', 8, 3, 'load'),
      app('src/widget.js', 3, 9, 'new Widget'),
      app('src/run.js', 4, 1, 'Object.run [as go]'),
      app('src/boot.js', 20, 5, 'eval'),
      { file: '.vite/deps/react-dom.js', line: 16, col: 2, fn: 'dispatch', in_app: false },
      { file: 'https://cdn.example.com/lib.min.js', line: 1, col: 500, fn: '<anonymous>', in_app: false },
      app('@vite/client', 10, 5, '<anonymous>'),
    ]);
  });
  it("the first line is the message, not a frame, even when the message ends in a position", () => {
    const stack = [
      'Error: failed at x.js:1:2',
      `    at load (${origin}/src/App.jsx:8:3)`,
    ].join('\n');
    expect(parseStack(stack, origin)).toEqual([app('src/App.jsx', 8, 3, 'load')]);
    expect(parseStack(`TypeError: fetch failed: ${origin}/api.js:3:4\n    at ${origin}/a.js:1:1`, origin)).toEqual([app('a.js', 1, 1, '<anonymous>')]);
  });
});

describe('Firefox (SpiderMonkey)', () => {
  it('named, anonymous, nested closures, async and eval frames', () => {
    const stack = [
      `handleClick@${origin}/assets/index.js:12:34`,
      `@${origin}/assets/index.js:1:99`,
      `run/<@${origin}/src/run.js:4:1`,
      `async*load@${origin}/src/App.jsx:8:3`,
      `boot@${origin}/src/boot.js line 20 > eval:1:7`,
      '',
    ].join('\n');
    expect(parseStack(stack, origin)).toEqual([
      app('assets/index.js', 12, 34, 'handleClick'),
      app('assets/index.js', 1, 99, '<anonymous>'),
      app('src/run.js', 4, 1, 'run/<'),
      app('src/App.jsx', 8, 3, 'load'),
      app('src/boot.js', 20, 0, 'boot'),
    ]);
  });
});

describe('Safari (JavaScriptCore)', () => {
  it('named, global code, bare-location and [native code] frames', () => {
    const stack = [
      `handleClick@${origin}/assets/index.js:12:34`,
      'forEach@[native code]',
      `global code@${origin}/index.html:5:10`,
      `${origin}/assets/index.js:1:99`,
      `module code@${origin}/src/main.js:2:1`,
    ].join('\n');
    expect(parseStack(stack, origin)).toEqual([
      app('assets/index.js', 12, 34, 'handleClick'),
      app('index.html', 5, 10, 'global code'),
      app('assets/index.js', 1, 99, '<anonymous>'),
      app('src/main.js', 2, 1, 'module code'),
    ]);
  });
});

describe('limits', () => {
  it('keeps at most 100 frames and 1,024 characters of a file or function name', () => {
    const long = 'f'.repeat(2000);
    const frames = parseStack(Array.from({ length: 150 }, () => `    at ${long} (${origin}/a.js:1:1)`).join('\n'), origin);
    expect(frames).toHaveLength(100);
    expect(frames[0]!.fn).toHaveLength(1024);
  });
  it('a stack with no positions gives no frames', () => {
    expect(parseStack('Error: x\n    at <anonymous>\n    at Array.map (<anonymous>)', origin)).toEqual([]);
  });
});
