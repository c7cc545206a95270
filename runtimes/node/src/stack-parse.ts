// Parses the text of a V8 `error.stack` into raw frames, innermost first. Handles named,
// anonymous, `async`, `new` and `[as alias]` frames, `file://` URLs, Windows paths and eval
// frames (reported at the place the eval was called, the closest line a developer wrote).

export interface RawFrame {
  /** The function as V8 shows it, e.g. `async getUser`, `new Server`, `<anonymous>`. */
  fn: string;
  /** A path, a file:// URL, a `node:` specifier, or a marker such as `native` or `<anonymous>`. */
  location: string;
  line: number;
  col: number;
}

const FRAME_LINE = /^\s+at (.+)$/;
const POSITION = /^(.*?):(\d+)(?::(\d+))?$/;

export function parseV8Stack(stack: string, limit = 100): RawFrame[] {
  const frames: RawFrame[] = [];
  for (const text of stack.split('\n')) {
    const match = FRAME_LINE.exec(text);
    if (!match?.[1]) continue;
    frames.push(parseFrame(match[1].trimEnd()));
    if (frames.length >= limit) break;
  }
  return frames;
}

function parseFrame(body: string): RawFrame {
  let fn = '';
  let location = body;
  if (body.endsWith(')')) {
    const open = matchingOpenParen(body);
    if (open > 0) {
      fn = body.slice(0, open).trim();
      location = body.slice(open + 1, -1);
    }
  } else if (body.startsWith('async ')) {
    // `at async file:///app/x.mjs:3:1`: an anonymous async function.
    fn = 'async <anonymous>';
    location = body.slice('async '.length);
  }
  location = evalOrigin(location);
  const position = POSITION.exec(location);
  if (!position?.[1] || position[1].length === 0) {
    return { fn: fn || '<anonymous>', location: location === '<anonymous>' ? location : 'native', line: 0, col: 0 };
  }
  return { fn: fn || '<anonymous>', location: position[1], line: Number(position[2]), col: Number(position[3] ?? 0) };
}

/** `eval at f (eval at g (/app/x.js:3:9), <anonymous>:1:1), <anonymous>:2:5` → `/app/x.js:3:9`. */
function evalOrigin(location: string): string {
  let current = location;
  while (current.startsWith('eval at ')) {
    const open = current.indexOf('(');
    if (open < 0) break;
    let depth = 0;
    let close = -1;
    for (let i = open; i < current.length; i++) {
      if (current[i] === '(') depth++;
      else if (current[i] === ')' && --depth === 0) {
        close = i;
        break;
      }
    }
    if (close < 0) break;
    current = current.slice(open + 1, close);
  }
  return current;
}

function matchingOpenParen(text: string): number {
  let depth = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    if (text[i] === ')') depth++;
    else if (text[i] === '(' && --depth === 0) return i;
  }
  return -1;
}
