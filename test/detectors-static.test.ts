// Static sites: what detection says of them (and of what is not one), and which pages the wiring
// edits: every page that runs JavaScript, a page added later on the next run, a page it cannot
// place the lines in said with the lines to add by hand while the rest is wired.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detect } from '../src/detectors/index.js';
import { initWiringFor } from '../src/templates/index.js';
import { wireEntry } from '../src/inject/index.js';
import type { Project } from '../src/project.js';
import { readText } from '../src/read-text.js';
import { copyFixture, makeProject, removeFixtureCopies } from './helpers/fixtures.js';

afterAll(removeFixtureCopies);

const pkg = (fields: Record<string, unknown>) => JSON.stringify({ name: 'site', version: '1.0.0', private: true, ...fields });

async function project(dir: string): Promise<Project> {
  const detection = await detect(dir, { exactDir: true });
  if (detection.kind !== 'project') throw new Error(`expected a project, got ${JSON.stringify(detection)}`);
  return detection.project;
}

describe('detecting a static site', () => {
  it('static-single-page: no package.json, one page', async () => {
    const found = await project(await copyFixture('static-single-page'));
    expect(found).toMatchObject({ runtime: 'browser', framework: 'static', packageManager: 'none', manifest: 'index.html', entry: 'index.html' });
    expect(found.evidence.map((evidence) => evidence.says)).toEqual(
      expect.arrayContaining(['a static site: index.html at its root, with no package.json', '1 page runs JavaScript (index.html)', 'none: the SDK is copied into the site as a file']),
    );
  });

  it('static-multi-page-crlf: a package.json that only runs http-server is still a static site; the page without scripts is not counted', async () => {
    const found = await project(await copyFixture('static-multi-page-crlf'));
    expect(found).toMatchObject({ runtime: 'browser', framework: 'static', packageManager: 'none' });
    expect(found.evidence.map((evidence) => evidence.says)).toContain('2 pages run JavaScript (index.html, levels/level-1.html)');
  });

  it('a landing index.html that runs nothing (demos in subfolders, as mdn/dom-examples\' web-speech-api): the entry is the first page that runs JavaScript', async () => {
    const dir = await makeProject('demos', {
      'index.html': '<h1>Demos</h1>\n<a href="phrase-matcher/">Phrase matcher</a>\n',
      'phrase-matcher/index.html': '<body>\n  <button>Start</button>\n  <script src="script.js"></script>\n</body>\n',
      'speak-easy/index.html': '<body>\n  <script src="script.js"></script>\n</body>\n',
    });
    const found = await project(dir);
    expect(found).toMatchObject({ framework: 'static', entry: 'phrase-matcher/index.html', manifest: 'phrase-matcher/index.html' });
    expect(found.evidence.map((evidence) => evidence.says)).toContain('phrase-matcher/index.html (index.html runs no JavaScript), and every other page that runs JavaScript');
  });

  it('is not a static site: pages without scripts, or a package.json with a server of its own', async () => {
    const noScripts = await makeProject('plain-pages', { 'index.html': '<!doctype html>\n<p>Hello</p>\n', 'about.html': '<p>About</p>\n' });
    expect((await detect(noScripts)).kind).toBe('nothing');
    const server = await makeProject('express-site', {
      'package.json': pkg({ dependencies: { express: '^4' }, scripts: { start: 'node server.js' } }),
      'server.js': "require('express')().use(require('express').static('.')).listen(3000);\n",
      'index.html': '<script src="app.js"></script>\n',
    });
    expect(await project(server)).toMatchObject({ runtime: 'node', framework: 'express', entry: 'server.js' });
  });
});

describe('wiring a static site\'s pages', () => {
  it('wires every page that runs JavaScript, says the page it cannot place the lines in, and on a re-run wires only a new page', async () => {
    const dir = await makeProject('pages', {
      'index.html': '<html>\n<head>\n  <script src="app.js"></script>\n</head>\n</html>\n',
      'docs/guide.html': '<body>\n  <button onclick="go()">Go</button>\n  <script src="../app.js"></script>\n</body>\n',
      'plain.html': '<p>no scripts</p>\n',
      'minified.html': '<html><head><script src="app.js"></script></head></html>',
      'node_modules/lib/demo.html': '<script>demo()</script>\n',
    });
    const site = await project(dir);
    const wiring = initWiringFor(site, { projectKey: 'pk_test_0123456789abcdef', ingestUrl: 'http://127.0.0.1:1/ingest' });
    const read = (path: string) => readText(join(dir, path));
    const wired = await wireEntry(site, 'index.html', await read('index.html'), wiring, read);
    if (wired.kind !== 'wired') throw new Error(`expected wired, got ${JSON.stringify(wired)}`);
    expect([...wired.texts.keys()]).toEqual(['index.html', 'docs/guide.html']);
    expect(wired.texts.get('docs/guide.html')).toContain('  <script src="../ez-pixel.min.js"></script>\n  <script src="../ez-pixel.init.js"></script>\n  <script src="../app.js">');
    expect(wired.followUps).toEqual([
      { reason: expect.stringContaining('its first <script> shares line 1 of minified.html with other markup'), snippet: '<script src="ez-pixel.min.js"></script>\n<script src="ez-pixel.init.js"></script>' },
    ]);

    for (const [path, text] of wired.texts) await writeFile(join(dir, path), text);
    await writeFile(join(dir, 'minified.html'), '<p>fixed by hand: no scripts any more</p>\n');
    await writeFile(join(dir, 'added.html'), '<head>\n\t<script src="app.js"></script>\n</head>\n');
    const again = await wireEntry(site, 'index.html', await read('index.html'), wiring, read);
    expect(again.kind === 'wired' && [...again.texts.keys()]).toEqual(['added.html']);
    await writeFile(join(dir, 'added.html'), '<head>\n\t<p>gone</p>\n</head>\n');
    expect(await wireEntry(site, 'index.html', await read('index.html'), wiring, read)).toEqual({ kind: 'present' });
  });
});
