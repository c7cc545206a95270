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
 * `@url:1:2` and `url:1:2`, each maybe `async`. Code run by eval: V8 writes
 * `at eval (eval at fn (url:1:2), <anonymous>:3:4)`, Firefox `url line 1 > eval:3:4`; the place
 * kept is the eval call's, in the page's own file. Multiline, and nothing in it crosses a line
 * end, so it matches at most once a line (and in linear time on a message of blank lines). A URL
 * has no spaces, so V8's first line (`Error: failed at x.js:1:2`) is not taken for a frame.
 */
const FRAME = /^[ \t]*(?:at (?:async )?(?:(.+?) \()?(?:eval at [^(\n]*\()?|(?:async\*)?(.*?)@)?(\S+?)(?: line (\d+) > \S+)?:(\d+):(\d+)\)?(?:, .*\))?$/gm;

/** `origin`: the page's, whose scripts are in-app. */
export function parseStack(stack: string, origin = location.origin): Frame[] {
  return [...stack.matchAll(FRAME)].slice(0, 100).map(([, v8Fn, fn = v8Fn, url, evalLine, line, col]) => {
    // Same-origin scripts are the application's, named by their path without `/`, query or hash
    // (a cache buster must not split a group). A path under `node_modules/` (a dev server's
    // dependency bundle) is a library's, kept from there; other origins keep their whole URL.
    const own = url!.startsWith(origin + '/');
    const file = url!.replace(/[?#].*/, '').slice(own ? origin.length + 1 : 0);
    const kept = file.replace(/.*node_modules\//, '');
    // In a Firefox eval, the position of the eval call is the one in the page's own file.
    return { file: kept.slice(0, 1024), line: +(evalLine ?? line!), col: evalLine ? 0 : +col!, fn: (fn || '<anonymous>').slice(0, 1024), in_app: own && kept === file };
  });
}
