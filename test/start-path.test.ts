// doctor's start-path walk (src/platforms/node/doctor/start-path.ts) on small projects written to a temp dir:
// `off` is certain only when every load on the way could be read; a load by a computed path
// (`require(join(__dirname, 'app'))`) or a file that cannot be parsed leaves doctor unable to tell.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findStartPath } from '../src/platforms/node/doctor/start-path.js';

let project = '';
afterEach(() => rmSync(project, { recursive: true, force: true }));

function write(files: Record<string, string>): string {
  project = mkdtempSync(join(tmpdir(), 'ez-pixel-start-path-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(project, path)), { recursive: true });
    writeFileSync(join(project, path), text);
  }
  return project;
}

const pkg = JSON.stringify({ name: 'shop', scripts: { start: 'node src/server.js' } });
const app = "require('./ez-pixel.init.cjs');\nmodule.exports = require('express')();\n";

describe('findStartPath', () => {
  it('is certain the entry is off the start path when every load is a written path', async () => {
    const root = write({ 'package.json': pkg, 'src/server.js': "require('./routes');\n", 'src/routes.js': 'module.exports = 1;\n', 'src/app.js': app });
    expect(await findStartPath(root, 'src/app.js')).toMatchObject({ kind: 'off', certain: true });
  });

  it('is not certain when a file on the way loads a computed path', async () => {
    const server = "const path = require('path');\nconst app = require(path.join(__dirname, 'app'));\napp.listen(3000);\n";
    const root = write({ 'package.json': pkg, 'src/server.js': server, 'src/app.js': app });
    const found = await findStartPath(root, 'src/app.js');
    expect(found).toMatchObject({ kind: 'off', certain: false });
    expect(found.kind === 'off' && found.doubts.join('\n')).toContain('src/server.js cannot be parsed or loads a module by a computed path');
  });

  it('is not certain when a file on the way cannot be parsed', async () => {
    const root = write({ 'package.json': pkg, 'src/server.js': "require('./broken');\n", 'src/broken.js': 'const = = ;\n', 'src/app.js': app });
    expect(await findStartPath(root, 'src/app.js')).toMatchObject({ kind: 'off', certain: false });
  });

  it.each([
    ['node --import ./instrument.mjs src/server.js', './instrument.mjs'],
    ['node --require=./instrument.js src/server.js', './instrument.js'],
    ['node -r dotenv/config -r ./instrument.js src/server.js', './instrument.js'],
    ["NODE_OPTIONS='--import ./instrument.mjs' node src/server.js", './instrument.mjs'],
  ])('counts a preloaded project file as on the start path: %s', async (start, preload) => {
    const scripts = { start };
    const root = write({ 'package.json': JSON.stringify({ name: 'shop', scripts }), 'src/server.js': 'module.exports = 1;\n', [preload.slice(2)]: app });
    expect(await findStartPath(root, preload.slice(2))).toMatchObject({ kind: 'on', starter: { path: preload.slice(2), via: expect.stringContaining(`preloads ${preload}`) } });
  });

  it('does not count a preloaded package as a project file', async () => {
    const root = write({ 'package.json': JSON.stringify({ name: 'shop', scripts: { start: 'node -r dotenv/config src/server.js' } }), 'src/server.js': 'module.exports = 1;\n', 'dotenv/config.js': app });
    expect(await findStartPath(root, 'dotenv/config.js')).toMatchObject({ kind: 'off', certain: true });
  });
});
