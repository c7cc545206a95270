import { describe, expect, it } from 'vitest';
import { addInit, initLoadOrder, removeInit, type Injection } from '../src/inject/index.js';
import { initWiringFor } from '../src/templates/index.js';
import type { Project } from '../src/project.js';
import { nodeProject, settings, tempProject } from './fixtures/inject/projects.js';

async function wire(project: Project, source: string | null) {
  const wiring = initWiringFor(project, settings);
  const injection = await addInit(project, project.entry as string, source, wiring);
  return { wiring, injection };
}

function inserted(injection: Injection): string {
  if (injection.kind !== 'insert') throw new Error(`expected an insert, got ${JSON.stringify(injection)}`);
  return injection.after;
}

/** install then uninstall must give back the original bytes. */
async function expectRoundTrip(project: Project, source: string): Promise<string> {
  const { wiring, injection } = await wire(project, source);
  const after = inserted(injection);
  const removal = await removeInit(project, after, wiring);
  expect(removal).toEqual({ kind: 'remove', after: source });
  return after;
}

const esm = nodeProject({ entry: 'src/index.js' });
const cjs = nodeProject({ entry: 'index.js', moduleSystem: 'cjs' });

describe('addInit: plain Node entries', () => {
  it('puts the init import first in an ESM entry, with a specifier ending in .mjs', async () => {
    const source = "import express from 'express';\n\nconst app = express();\n";
    const after = await expectRoundTrip(esm, source);
    expect(after).toBe(`import './ez-pixel.init.mjs'; // ez-pixel\n${source}`);
  });

  it('puts the require after the shebang and "use strict" in a CJS entry', async () => {
    const source = "#!/usr/bin/env node\n'use strict';\n\n// Load the app\nconst http = require('node:http');\n";
    const after = await expectRoundTrip(cjs, source);
    expect(after).toBe(
      "#!/usr/bin/env node\n'use strict';\n\n// Load the app\nrequire('./ez-pixel.init.cjs'); // ez-pixel\nconst http = require('node:http');\n",
    );
  });

  it.each([
    ['server.mjs', "import './ez-pixel.init.mjs'; // ez-pixel"],
    ['server.cjs', "require('./ez-pixel.init.cjs'); // ez-pixel"],
    ['server.mts', "import './ez-pixel.init.mjs'; // ez-pixel"],
    ['server.cts', "import './ez-pixel.init.cjs'; // ez-pixel"],
  ])('wires a %s entry with its own module system', async (entry, line) => {
    const project = nodeProject({ entry, typescript: entry.endsWith('ts') });
    const source = "import { a } from './a.js';\nconsole.log(a);\n";
    const after = await expectRoundTrip(project, source);
    expect(after.split('\n')[0]).toBe(line);
  });

  it('uses the .js specifier for a TS entry under NodeNext', async () => {
    const root = tempProject({ 'tsconfig.json': '{ "compilerOptions": { "module": "NodeNext" } }' });
    const project = nodeProject({ root, entry: 'src/main.ts', typescript: true });
    const after = await expectRoundTrip(project, "import { start } from './start.js';\nstart();\n");
    expect(after.split('\n')[0]).toBe("import './ez-pixel.init.js'; // ez-pixel");
  });

  it('uses the extensionless specifier for bundler resolution, read through a JSONC `extends`', async () => {
    const root = tempProject({
      'tsconfig.base.json': '{\n  // shared\n  "compilerOptions": { "moduleResolution": "Bundler", "module": "ESNext", },\n}\n',
      'tsconfig.json': '{ "extends": "./tsconfig.base.json", /* "module": "NodeNext" */ "include": ["src/**/*"] }',
    });
    const project = nodeProject({ root, entry: 'src/main.ts', typescript: true });
    const after = await expectRoundTrip(project, "import { start } from './start';\nstart();\n");
    expect(after.split('\n')[0]).toBe("import './ez-pixel.init'; // ez-pixel");
  });

  it('keeps CRLF line endings and uses them for the inserted line', async () => {
    const source = "import a from 'a';\r\n\r\na();\r\n";
    const after = await expectRoundTrip(esm, source);
    expect(after).toBe(`import './ez-pixel.init.mjs'; // ez-pixel\r\n${source}`);
  });

  it('inserts after a byte order mark, never before it', async () => {
    const source = "\uFEFFimport a from 'a';\na();\n";
    const after = await expectRoundTrip(esm, source);
    expect(after).toBe("\uFEFFimport './ez-pixel.init.mjs'; // ez-pixel\nimport a from 'a';\na();\n");
  });

  it('inserts at the right offset below a comment in a file with a BOM (the AST does not count the BOM)', async () => {
    const source = "\uFEFF// entry\r\nimport a from 'a';\r\n";
    expect(await expectRoundTrip(esm, source)).toBe("\uFEFF// entry\r\nimport './ez-pixel.init.mjs'; // ez-pixel\r\nimport a from 'a';\r\n");
    expect(await expectRoundTrip(esm, '\uFEFF')).toBe("\uFEFFimport './ez-pixel.init.mjs'; // ez-pixel\n");
  });

  it('keeps tabs and indentation, including a tab-indented first statement', async () => {
    const source = "\tconst a = 1;\nfunction f() {\n\treturn a;\n}\n";
    const after = await expectRoundTrip(esm, source);
    expect(after).toBe(`\timport './ez-pixel.init.mjs'; // ez-pixel\n${source}`);
  });

  it('handles a file without a trailing newline', async () => {
    const after = await expectRoundTrip(esm, 'console.log(1)');
    expect(after).toBe("import './ez-pixel.init.mjs'; // ez-pixel\nconsole.log(1)");
  });

  it('appends to a comment-only file without a trailing newline and still restores it', async () => {
    const after = await expectRoundTrip(esm, '// nothing yet');
    expect(after).toBe("// nothing yet\nimport './ez-pixel.init.mjs'; // ez-pixel");
  });

  it('wires an empty file', async () => {
    expect(await expectRoundTrip(esm, '')).toBe("import './ez-pixel.init.mjs'; // ez-pixel\n");
  });

  it("keeps directives ('use client') first and header pragmas on top", async () => {
    const source = "// @ts-check\n'use client';\n'use strict';\nimport a from 'a';\n";
    const after = await expectRoundTrip(esm, source);
    expect(after).toBe("// @ts-check\n'use client';\n'use strict';\nimport './ez-pixel.init.mjs'; // ez-pixel\nimport a from 'a';\n");
  });

  it('keeps a next-line directive comment attached to the statement it governs', async () => {
    const source = "/* header */\n\n// eslint-disable-next-line import/no-unresolved\n// @ts-expect-error untyped\nimport a from 'a';\n";
    const after = await expectRoundTrip(esm, source);
    expect(after).toBe(
      "/* header */\n\nimport './ez-pixel.init.mjs'; // ez-pixel\n// eslint-disable-next-line import/no-unresolved\n// @ts-expect-error untyped\nimport a from 'a';\n",
    );
  });

  it('returns manual when the first statement shares its line with a directive', async () => {
    const { injection } = await wire(esm, "'use strict'; import a from 'a';\n");
    expect(injection).toMatchObject({ kind: 'manual', snippet: "import './ez-pixel.init.mjs'; // ez-pixel" });
  });

  it('returns manual with the exact snippet on a syntax error', async () => {
    const { injection } = await wire(esm, "import a from 'a';\nconst = ;\n");
    expect(injection.kind).toBe('manual');
    if (injection.kind !== 'manual') return;
    expect(injection.snippet).toBe("import './ez-pixel.init.mjs'; // ez-pixel");
    expect(injection.reason).toMatch(/index\.js:2:/);
  });

  it('says present when the entry already loads the init, marked or not', async () => {
    expect((await wire(esm, "import './ez-pixel.init.mjs'; // ez-pixel\nimport a from 'a';\n")).injection).toEqual({ kind: 'present' });
    expect((await wire(cjs, "const a = require('a');\nrequire('./ez-pixel.init.cjs');\n")).injection).toEqual({ kind: 'present' });
  });

  it('returns manual for a missing entry file', async () => {
    expect((await wire(esm, null)).injection.kind).toBe('manual');
  });
});

describe('removeInit: plain Node entries', () => {
  it('says absent when nothing of ours is there', async () => {
    const wiring = initWiringFor(esm, settings);
    expect(await removeInit(esm, "import a from 'a';\n", wiring)).toEqual({ kind: 'absent' });
  });

  it('leaves a line the user edited after install alone and returns manual', async () => {
    const wiring = initWiringFor(esm, settings);
    const edited = "import './ez-pixel.init.mjs'; import b from 'b'; // ez-pixel\nimport a from 'a';\n";
    const removal = await removeInit(esm, edited, wiring);
    expect(removal).toMatchObject({ kind: 'manual', snippet: "import './ez-pixel.init.mjs'; import b from 'b'; // ez-pixel" });
  });

  it('still recognises our line after a formatter switched its quotes or semicolon (prettier, standard)', async () => {
    const wiring = initWiringFor(esm, settings);
    for (const formatted of ['import "./ez-pixel.init.mjs"; // ez-pixel', "import './ez-pixel.init.mjs' // ez-pixel"]) {
      const removal = await removeInit(esm, `${formatted}\nimport a from 'a';\n`, wiring);
      expect(removal).toEqual({ kind: 'remove', after: "import a from 'a';\n" });
    }
  });

  it('restores CRLF + BOM + no-trailing-newline bytes exactly', async () => {
    await expectRoundTrip(cjs, "\uFEFF#!/usr/bin/env node\r\n'use strict'\r\nmodule.exports = 1");
  });
});

describe('initLoadOrder', () => {
  const order = (project: Project, source: string) => initLoadOrder(project, project.entry as string, source);

  it('is first right after install', async () => {
    const { injection } = await wire(esm, "import a from 'a';\na();\n");
    expect(await order(esm, inserted(injection))).toEqual({ kind: 'first' });
  });

  it('is late when another import runs before the init, and names it', async () => {
    const result = await order(esm, "import 'dotenv/config';\nimport './ez-pixel.init.mjs'; // ez-pixel\n");
    expect(result).toEqual({ kind: 'late', before: "line 1: import 'dotenv/config';" });
  });

  it('ignores type-only imports and, for ESM, body code before the import (imports are hoisted)', async () => {
    const project = nodeProject({ entry: 'main.ts', typescript: true });
    const source = "import type { A } from './a.js';\nconst x = 1;\nimport './ez-pixel.init.js';\nimport b from 'b';\n";
    expect(await order(project, source)).toEqual({ kind: 'first' });
  });

  it('is late in CJS when code runs before the require', async () => {
    const result = await order(cjs, "'use strict';\nprocess.title = 'x';\nrequire('./ez-pixel.init.cjs');\n");
    expect(result).toEqual({ kind: 'late', before: "line 2: process.title = 'x';" });
  });

  it('is missing when the init is not loaded, even if a comment mentions it', async () => {
    expect(await order(esm, "// import './ez-pixel.init.mjs'\nimport a from 'a';\n")).toEqual({ kind: 'missing' });
  });

  it('is unparseable on a syntax error', async () => {
    expect((await order(esm, 'import {')).kind).toBe('unparseable');
  });
});

describe('concurrent calls', () => {
  it('parse independently (doctor and install may ask at the same time)', async () => {
    const sources = Array.from({ length: 8 }, (_, i) => `import a${i} from 'a${i}';\n`);
    const results = await Promise.all(sources.map((source) => wire(esm, source)));
    results.forEach(({ injection }, i) => expect(inserted(injection)).toBe(`import './ez-pixel.init.mjs'; // ez-pixel\n${sources[i]}`));
  });
});
