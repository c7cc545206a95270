// Stack text of Chrome (V8), Firefox (SpiderMonkey) and Safari (JavaScriptCore), innermost first,
// as spec/event.schema.json frames. Lines that name no position (`[native code]`) are skipped.
export interface Frame {
  file: string;
  line: number;
  col: number;
  fn: string;
  in_app: boolean;
}

/**
 * V8's `    at fn (url:1:2)` and `    at url:1:2`; SpiderMonkey's and JavaScriptCore's `fn@url:1:2`,
 * `@url:1:2` and `url:1:2`, where Firefox writes an eval as `url line 3 > eval:1:2`.
 */
const FRAME = /^\s*(?:at (?:(.+?) \()?|(?:(.*?)@)?)(.+?)(?: line (\d+) > \S+)?:(\d+):(\d+)\)?$/;
/** V8 writes code run by eval as `(eval at fn (url:1:2), <anonymous>:3:4)`: the eval call's place is the page's. */
const V8_EVAL = /\(eval at [^(]*\((.+?:\d+:\d+)\).*\)$/;

export function parseStack(stack: string, origin: string): Frame[] {
  const frames: Frame[] = [];
  for (const text of stack.split('\n')) {
    const m = FRAME.exec(text.replace(V8_EVAL, '($1)'));
    if (m) frames.push(toFrame(m, origin));
    if (frames.length === 100) break;
  }
  return frames;
}

/**
 * Same-origin scripts are the application's: the path without `/`, query or hash (a cache
 * buster must not split a group). A path under `node_modules/` (a dev server's dependency
 * bundle) is a library's, kept from there; other origins keep their whole URL.
 */
function toFrame([, v8Fn, fn = v8Fn, url, evalLine, line, col]: RegExpExecArray, origin: string): Frame {
  let file = url!.replace(/[?#].*/, '');
  const own = file.startsWith(origin + '/');
  if (own) file = file.slice(origin.length + 1);
  const kept = file.replace(/.*node_modules\//, '');
  // In a Firefox eval, the position of the eval call is the one in the page's own file.
  return { file: kept.slice(0, 1024), line: +(evalLine ?? line!), col: evalLine ? 0 : +col!, fn: (fn?.replace(/^async[ *]/, '') || '<anonymous>').slice(0, 1024), in_app: own && kept === file };
}
