/** How doctor's probe runs a Node init: with this node, a TypeScript init transpiled first; a built Nuxt app by starting its server. */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DoctorContext } from '../../../doctor/context.js';
import type { ProbeRun } from '../../platform.js';
import { loadTsMorph } from '../../../load-ts-morph.js';
import { wiredServerBuild } from './react-router-build.js';
import { NUXT_SERVER } from './nuxt-build-check.js';

/**
 * Node cannot run a TypeScript init, so it is transpiled into node_modules/.cache (never into
 * tracked files); so is an init `rewrite` changes (a framework's env module Node cannot resolve).
 */
export async function runnableNodeInit(root: string, initFile: string, rewrite?: (source: string) => string): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = join(root, initFile);
  if (!/\.[cm]?ts$/.test(initFile) && !rewrite) return { path, cleanup: async () => {} };
  const { ts } = loadTsMorph();
  const commonjs = initFile.endsWith('.cts') || initFile.endsWith('.cjs');
  const source = await readFile(path, 'utf8');
  const output = ts.transpileModule(rewrite ? rewrite(source) : source, {
    compilerOptions: { module: commonjs ? ts.ModuleKind.CommonJS : ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const dir = join(root, 'node_modules', '.cache', 'ez-pixel');
  await mkdir(dir, { recursive: true });
  const transpiled = join(dir, `probe-${randomBytes(4).toString('hex')}${commonjs ? '.cjs' : '.mjs'}`);
  await writeFile(transpiled, output);
  return { path: transpiled, cleanup: () => rm(transpiled, { force: true }) };
}


/**
 * A built Nuxt app is probed the way it starts: `node .output/server/index.mjs` on a free loopback
 * port, run by this small parent that stops the server once the SDK has written the probe's
 * outcome (a server never exits by itself), or when doctor gives up on it.
 */
const nuxtServerProbe = `
const { spawn } = require('node:child_process');
const { existsSync } = require('node:fs');
const { createServer } = require('node:net');
const outcome = process.env.EZ_PIXEL_PROBE;
const free = createServer().listen(0, '127.0.0.1', () => {
  const port = String(free.address().port);
  free.close(() => {
    const env = { ...process.env, HOST: '127.0.0.1', NITRO_HOST: '127.0.0.1', PORT: port, NITRO_PORT: port };
    const server = spawn(process.execPath, [process.argv[1]], { stdio: ['ignore', 'ignore', 'inherit'], env });
    const poll = setInterval(() => existsSync(outcome) && server.kill(), 50);
    process.on('SIGTERM', () => server.kill());
    server.on('exit', (code) => {
      clearInterval(poll);
      process.exit(existsSync(outcome) ? 0 : (code ?? 1));
    });
  });
});`;

export async function nodeProbeRun(context: DoctorContext): Promise<ProbeRun> {
  const { project, wiring } = context;
  // React Router's and Remix's servers load their build, where the init was inlined: that is what the probe runs once it exists.
  const built = await wiredServerBuild(context);
  if (built) return { argv: [process.execPath, join(project.root, built)], env: {}, cleanup: async () => {} };
  if (project.framework === 'nuxt' && existsSync(join(project.root, NUXT_SERVER))) {
    return { argv: [process.execPath, '-e', nuxtServerProbe, join(project.root, NUXT_SERVER)], env: {}, cleanup: async () => {} };
  }
  const runnable = await runnableNodeInit(project.root, wiring.initFile);
  return { argv: [process.execPath, runnable.path], env: {}, cleanup: runnable.cleanup };
}
