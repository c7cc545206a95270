// `node --import <this file>`: registers hooks.mjs, and at exit adds the CommonJS modules the
// process required, which ES module hooks never see (ts-morph is loaded with require()).
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

register('./hooks.mjs', import.meta.url);
const cache = createRequire(import.meta.url).cache;
process.on('exit', () => {
  const required = Object.keys(cache).map((path) => pathToFileURL(path).href);
  appendFileSync(process.env.MODULE_LOG, required.map((url) => `${url}\n`).join(''));
});
