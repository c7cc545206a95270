// The style install writes its lines in when the project has no formatter: the quotes and
// semicolons of the edited file's own import statements, read from CRLF files and a first line
// behind a BOM as from any other.
import { describe, expect, it } from 'vitest';
import { inStyle, styleOf } from '../src/plan/code-style.js';

describe('styleOf', () => {
  it('reads the imports of LF, CRLF and BOM-prefixed files alike', () => {
    const lines = ["import { a } from './a.js'", 'import "./b.css"', "const c = require('c')"];
    for (const [ending, start] of [['\n', ''], ['\r\n', ''], ['\r\n', '\ufeff']] as const) {
      expect(styleOf(start + lines.join(ending)), JSON.stringify(ending + start)).toEqual({ quote: "'", semicolons: false });
      expect(styleOf(start + lines.map((line) => `${line};`).join(ending))).toEqual({ quote: "'", semicolons: true });
    }
    expect(styleOf('\ufeffimport x from "x"\r\nx()')).toEqual({ quote: '"', semicolons: false });
    expect(styleOf('document.title = "t"\r\n')).toBeNull();
  });

  it('our line loses its semicolon in a CRLF file without them, and keeps its comment', () => {
    expect(inStyle("import './ez-pixel.init.js'; // ez-pixel\r\n", { quote: "'", semicolons: false })).toBe("import './ez-pixel.init.js' // ez-pixel\r\n");
  });
});
