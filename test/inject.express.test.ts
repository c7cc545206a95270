import { describe, expect, it } from 'vitest';
import { removeInit, wireEntry, type EntryWiring } from '../src/inject/index.js';
import { removeRequestErrorHooks } from '../src/platforms/node/wiring/request-errors.js';
import { initWiringFor } from '../src/templates/index.js';
import type { Project } from '../src/project.js';
import { nodeProject, settings } from './fixtures/inject/projects.js';

const esm = nodeProject({ framework: 'express', entry: 'server.js' });
const cjs = nodeProject({ framework: 'express', entry: 'server.js', moduleSystem: 'cjs' });

/** Wires `source` as the entry; `others` are the files it may import (path → text). */
async function wire(project: Project, source: string, others: Record<string, string> = {}) {
  const wiring = initWiringFor(project, settings);
  const read = async (path: string): Promise<string | null> => others[path] ?? null;
  return { wiring, injection: await wireEntry(project, project.entry as string, source, wiring, read) };
}

interface Wired {
  after: string;
  texts: Map<string, string>;
  followUp: { reason: string; snippet: string } | undefined;
}

function inserted(injection: EntryWiring): Wired {
  if (injection.kind !== 'wired') throw new Error(`expected an insert, got ${JSON.stringify(injection)}`);
  return { after: injection.texts.get([...injection.texts.keys()][0] as string) as string, texts: injection.texts, followUp: injection.followUps[0] };
}

async function expectRoundTrip(project: Project, source: string, others: Record<string, string> = {}): Promise<Wired> {
  const { wiring, injection } = await wire(project, source, others);
  const insert = inserted(injection);
  expect(await removeInit(project, insert.after, wiring)).toEqual({ kind: 'remove', after: source });
  for (const [path, text] of insert.texts) {
    if (path !== project.entry) expect(removeRequestErrorHooks(text, wiring)).toMatchObject({ kind: 'removed', after: others[path] });
  }
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

  it('goes before `export default app` when the entry exports the app instead of listening', async () => {
    const source = "import express from 'express';\nconst app = express();\napp.get('/', h);\nexport default app;\n";
    const { after, followUp } = await expectRoundTrip(esm, source);
    expect(after).toContain("app.get('/', h);\napp.use(expressErrorHandler()); // ez-pixel\nexport default app;");
    expect(followUp).toBeUndefined();
  });

  it('wires the init but hands back the handler, without its import, when listen runs in a function', async () => {
    const source = "import express from 'express';\nconst app = express();\napp.get('/', h);\nfunction start() { app.listen(3000); }\nstart();\n";
    const { after, followUp } = await expectRoundTrip(esm, source);
    expect(after).toBe(`import './ez-pixel.init.mjs'; // ez-pixel\n${source}`);
    expect(followUp?.snippet).toContain('app.use(expressErrorHandler()); // ez-pixel');
    expect(followUp?.reason).toMatch(/no top-level app\.listen/);
  });

  it('follows the entry to the file that creates the app (src/index.js listens, src/app.js creates it)', async () => {
    const entry = "const app = require('./app');\n\napp.listen(process.env.PORT || 3000);\n";
    const appFile = "const express = require('express');\nconst routes = require('./routes');\n\nconst app = express();\napp.use('/api', routes);\n\nmodule.exports = app;\n";
    const routes = "const { Router } = require('express');\nmodule.exports = Router();\n";
    const project = nodeProject({ framework: 'express', entry: 'src/index.js', moduleSystem: 'cjs' });
    const { after, texts, followUp } = await expectRoundTrip(project, entry, { 'src/app.js': appFile, 'src/routes.js': routes });
    expect(followUp).toBeUndefined();
    // The entry gets only the init; no import it does not use.
    expect(after).toBe(`require('./ez-pixel.init.cjs'); // ez-pixel\n${entry}`);
    expect(texts.get('src/app.js')).toBe(
      "const { expressErrorHandler } = require('@ez-pixel/node'); // ez-pixel\nconst express = require('express');\nconst routes = require('./routes');\n\nconst app = express();\napp.use('/api', routes);\n\napp.use(expressErrorHandler()); // ez-pixel\nmodule.exports = app;\n",
    );
    expect(texts.has('src/routes.js')).toBe(false);
  });

  it("goes before the app's own error handlers imported from another module (node-express-boilerplate's shape)", async () => {
    const entry = "const app = require('./app');\napp.listen(3000);\n";
    const appFile = "const express = require('express');\nconst { errorConverter, errorHandler } = require('./middlewares/error');\nconst routes = require('./routes');\n\nconst app = express();\napp.use('/v1', routes);\napp.use(errorConverter);\napp.use(errorHandler);\n\nmodule.exports = app;\n";
    const project = nodeProject({ framework: 'express', entry: 'src/index.js', moduleSystem: 'cjs' });
    const { texts } = await expectRoundTrip(project, entry, { 'src/app.js': appFile });
    expect(texts.get('src/app.js')).toContain("app.use('/v1', routes);\napp.use(expressErrorHandler()); // ez-pixel\napp.use(errorConverter);");
  });

  it('goes before `return app` in an app factory', async () => {
    const entry = "import { createApp } from './app.js';\ncreateApp().listen(3000);\n";
    const appFile = "import express from 'express';\n\nexport function createApp() {\n  const app = express();\n  app.get('/', h);\n  return app;\n}\n";
    const project = nodeProject({ framework: 'express', entry: 'src/main.ts', typescript: true });
    const { texts } = await expectRoundTrip(project, entry, { 'src/app.ts': appFile });
    expect(texts.get('src/app.ts')).toContain("  app.get('/', h);\n  app.use(expressErrorHandler()); // ez-pixel\n  return app;\n");
  });

  it('hands the handler back when routes are added after listen, or listen runs inside a function', async () => {
    const late = "import express from 'express';\nconst app = express();\napp.listen(3000);\napp.get('/late', h);\n";
    expect((await expectRoundTrip(esm, late)).followUp?.reason).toMatch(/routes are registered on app after `app\.listen\(3000\);`/);
    const inFunction = "import express from 'express';\nconst app = express();\nfunction start() { app.listen(3000); }\nstart();\n";
    expect((await expectRoundTrip(esm, inFunction)).followUp?.reason).toMatch(/no top-level app\.listen/);
  });

  it('hands the handler back when there are two apps', async () => {
    const source = "import express from 'express';\nconst app = express();\nconst admin = express();\napp.listen(1);\n";
    expect((await expectRoundTrip(esm, source)).followUp?.reason).toMatch(/more than one express app/);
  });

  it('returns manual with every line to paste (init, handler import, handler) on a syntax error', async () => {
    const { injection } = await wire(esm, "import express from 'express';\nconst app = express(;\n");
    expect(injection).toMatchObject({
      kind: 'manual',
      snippet: [
        "import './ez-pixel.init.mjs'; // ez-pixel",
        '',
        "import { expressErrorHandler } from '@ez-pixel/node'; // ez-pixel",
        '// after your routes, before app.listen(...) or the export of app:',
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
