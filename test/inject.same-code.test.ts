// same-code.ts: a generated file is still ours after a formatter, and not after a real edit.
import { describe, expect, it } from 'vitest';
import { sameCode } from '../src/platforms/node/wiring/same-code.js';

const generated = "const { initPixel } = require('@ez-pixel/node');\nconst key = \"pk_live_1\";\nfor (const line of text.split(/\\r?\\n/)) {\n  const match = /^(a)='([^']*)'$/.exec(line);\n  if (match?.[1]) seen[match[1]] = match[2] ?? '';\n}\ninitPixel({ projectKey: key, ingestUrl: url });\n";
// What prettier makes of it with singleQuote, semi: false and a narrow printWidth.
const reformatted = "const { initPixel } = require('@ez-pixel/node')\nconst key = 'pk_live_1'\nfor (const line of text.split(/\\r?\\n/)) {\n  const match = /^(a)='([^']*)'$/.exec(\n    line,\n  )\n  if (match?.[1]) seen[match[1]] = match[2] ?? ''\n}\ninitPixel({\n  projectKey: key,\n  ingestUrl: url,\n})\n";

describe('sameCode', () => {
  it('ignores whitespace, line breaks, semicolons, trailing commas and quote style, regular expressions included', () => {
    expect(sameCode(generated, reformatted)).toBe(true);
  });

  it('sees a changed value, name, regular expression or comment', () => {
    expect(sameCode(generated, reformatted.replace("'pk_live_1'", "'pk_live_2'"))).toBe(false);
    expect(sameCode(generated, reformatted.replace('ingestUrl: url', 'ingestUrl: other'))).toBe(false);
    expect(sameCode(generated, reformatted.replace('/^(a)=', '/^(b)='))).toBe(false);
    expect(sameCode(generated, `// mine\n${reformatted}`)).toBe(false);
  });
});
