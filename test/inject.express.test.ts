import { describe, expect, it } from 'vitest';
import { addInit, removeInit, type Injection } from '../src/inject/index.js';
import { initWiringFor } from '../src/templates/index.js';
import type { Project } from '../src/project.js';
import { nodeProject, settings } from './fixtures/inject/projects.js';

const esm = nodeProject({ framework: 'express', entry: 'server.js' });
const cjs = nodeProject({ framework: 'express', entry: 'server.js', moduleSystem: 'cjs' });

async function wire(project: Project, source: string) {
  const wiring = initWiringFor(project, settings);
  return { wiring, injection: await addInit(project, project.entry as string, source, wiring) };
}

function inserted(injection: Injection): Extract<Injection, { kind: 'insert' }> {
  if (injection.kind !== 'insert') throw new Error(`expected an insert, got ${JSON.stringify(injection)}`);
  return injection;
}

async function expectRoundTrip(project: Project, source: string): Promise<Extract<Injection, { kind: 'insert' }>> {
  const { wiring, injection } = await wire(project, source);
  const insert = inserted(injection);
  expect(await removeInit(project, insert.after, wiring)).toEqual({ kind: 'remove', after: source });
  return insert;
}

const esmApp = `import express from 'express';

const app = express();
app.get('/', (req, res) => res.send('ok'));

app.listen(3000, () => console.log('listening'));
`;

describe('Express: the SDK error handler after the routes', () => {
  it('registers the handler just before app.listen and imports it with the init', async () => {
    const { after, followUp } = await expectRoundTrip(esm, esmApp);
    expect(followUp).toBeUndefined();
    expect(after).toBe(`import './ez-pixel.init.mjs'; // ez-pixel
import { expressErrorHandler } from '@ez-pixel/node'; // ez-pixel
import express from 'express';

const app = express();
app.get('/', (req, res) => res.send('ok'));

app.use(expressErrorHandler()); // ez-pixel
app.listen(3000, () => console.log('listening'));
`);
  });

  it('CJS, another app name, `const server = api.listen()`, CRLF', async () => {
    const source = "'use strict';\r\nconst express = require('express');\r\nconst api = express();\r\napi.post('/x', h);\r\nconst server = api.listen(0);\r\nmodule.exports = server;\r\n";
    const { after } = await expectRoundTrip(cjs, source);
    expect(after).toBe(
      "'use strict';\r\nrequire('./ez-pixel.init.cjs'); // ez-pixel\r\nconst { expressErrorHandler } = require('@ez-pixel/node'); // ez-pixel\r\n" +
        "const express = require('express');\r\nconst api = express();\r\napi.post('/x', h);\r\napi.use(expressErrorHandler()); // ez-pixel\r\nconst server = api.listen(0);\r\nmodule.exports = server;\r\n",
    );
  });

  it("goes before the app's own error handler (inline or named), so ours sees errors first", async () => {
    const inline = "import express from 'express';\nconst app = express();\napp.get('/', h);\napp.use((err, req, res, next) => res.status(500).end());\napp.listen(3000);\n";
    expect((await expectRoundTrip(esm, inline)).after).toContain("app.use(expressErrorHandler()); // ez-pixel\napp.use((err, req, res, next)");
    const named = "import express from 'express';\nconst app = express();\nfunction onError(err, req, res, next) { next(err); }\napp.use(cors());\napp.use(onError);\napp.listen(3000);\n";
    expect((await expectRoundTrip(esm, named)).after).toContain('app.use(cors());\napp.use(expressErrorHandler()); // ez-pixel\napp.use(onError);');
  });

  it('finds the app in TypeScript with `import express = require(...)` and a typed app', async () => {
    const ts = nodeProject({ framework: 'express', entry: 'server.ts', typescript: true, moduleSystem: 'cjs' });
    const source = "import express = require('express');\nconst app: express.Express = express();\napp.get('/', h);\napp.listen(3000);\n";
    const { wiring, injection } = await wire(ts, source);
    const { after } = inserted(injection);
    expect(after).toContain("app.get('/', h);\napp.use(expressErrorHandler()); // ez-pixel\napp.listen(3000);");
    expect(after.split('\n')[1]).toBe("import { expressErrorHandler } from '@ez-pixel/node'; // ez-pixel");
    expect(await removeInit(ts, after, wiring)).toEqual({ kind: 'remove', after: source });
  });

  it('recognises a server made with http.createServer(app), held in a variable or not', async () => {
    const held = "import http from 'node:http';\nimport express from 'express';\nconst app = express();\napp.get('/', h);\nconst server = http.createServer(app);\nserver.listen(8080);\n";
    expect((await expectRoundTrip(esm, held)).after).toContain('const server = http.createServer(app);\napp.use(expressErrorHandler()); // ez-pixel\nserver.listen(8080);');
    const inline = "const https = require('node:https');\nconst express = require('express');\nconst app = express();\napp.get('/', h);\nhttps.createServer(options, app).listen(443);\n";
    expect((await expectRoundTrip(cjs, inline)).after).toContain("app.get('/', h);\napp.use(expressErrorHandler()); // ez-pixel\nhttps.createServer(options, app).listen(443);");
  });

  it('places it before a top-level `if` that starts the server, indented like it', async () => {
    const source = "const express = require('express');\nconst app = express();\napp.get('/', h);\n  if (require.main === module) {\n    app.listen(3000);\n  }\n";
    const { after } = await expectRoundTrip(cjs, source);
    expect(after).toContain("app.get('/', h);\n  app.use(expressErrorHandler()); // ez-pixel\n  if (require.main === module) {");
  });

  it('wires the init but hands back the handler line when there is no top-level listen', async () => {
    const source = "import express from 'express';\nconst app = express();\napp.get('/', h);\nexport default app;\n";
    const { after, followUp } = await expectRoundTrip(esm, source);
    expect(after.startsWith("import './ez-pixel.init.mjs'; // ez-pixel\n")).toBe(true);
    expect(after).not.toContain('app.use(expressErrorHandler())');
    expect(followUp).toMatchObject({ snippet: 'app.use(expressErrorHandler()); // ez-pixel' });
    expect(followUp?.reason).toMatch(/no top-level app\.listen/);
  });

  it('hands the handler back when routes are added after listen, or listen runs inside a function', async () => {
    const late = "import express from 'express';\nconst app = express();\napp.listen(3000);\napp.get('/late', h);\n";
    expect((await expectRoundTrip(esm, late)).followUp?.reason).toMatch(/after app\.listen/);
    const inFunction = "import express from 'express';\nconst app = express();\nfunction start() { app.listen(3000); }\nstart();\n";
    expect((await expectRoundTrip(esm, inFunction)).followUp?.reason).toMatch(/no top-level app\.listen/);
  });

  it('hands the handler back when there are two apps', async () => {
    const source = "import express from 'express';\nconst app = express();\nconst admin = express();\napp.listen(1);\n";
    expect((await expectRoundTrip(esm, source)).followUp?.reason).toMatch(/more than one Express app/);
  });

  it('returns manual with every line to paste (init, handler import, handler) on a syntax error', async () => {
    const { injection } = await wire(esm, "import express from 'express';\nconst app = express(;\n");
    expect(injection).toMatchObject({
      kind: 'manual',
      snippet: [
        "import './ez-pixel.init.mjs'; // ez-pixel",
        "import { expressErrorHandler } from '@ez-pixel/node'; // ez-pixel",
        '',
        '// after your routes, before app.listen(...):',
        'app.use(expressErrorHandler()); // ez-pixel',
      ].join('\n'),
    });
  });

  it('leaves an edited handler line alone on removal (manual)', async () => {
    const { wiring, injection } = await wire(esm, esmApp);
    const edited = inserted(injection).after.replace('app.use(expressErrorHandler()); // ez-pixel', 'app.use(expressErrorHandler({})); // ez-pixel');
    expect(await removeInit(esm, edited, wiring)).toMatchObject({ kind: 'manual' });
  });
});
