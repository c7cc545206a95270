// End to end on two plain static sites of our own, modelled on real ones (a one-page vanilla JS
// game with inline and external scripts; a multi-page game with a js/ folder, a page in a
// subfolder, a page without scripts, CRLF, and a package.json that only runs http-server):
// `install --yes` against a real `ez-pixel listen`, the site served as files on 127.0.0.1 by a
// static server of the test's own, opened in headless Chromium, a click that throws, and the
// event at the listen with its type, message and the page's own frame. doctor (with the probe)
// is green, then fails with its fix on a page that lost its lines, on a deleted SDK file and on
// one another CLI version copied (a re-run copies this version in); a re-run changes nothing;
// uninstall gives back every byte. One install per site, shared by its cases.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../runtimes/browser/test/chromium/harness.js';
import { killServers, startCliServer, type CliServer } from './helpers/cli-server.js';
import { copyFixture, makeProject, removeFixtureCopies } from './helpers/fixtures.js';
import { doctorChecks, git, repoRoot, runCli, treeDifferences, treeFingerprint, type CliRun } from './install-helpers.js';

const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

/** The site's files as any static host serves them; nothing else (a path out of it is a 404). */
async function serveSite(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/\/$/, '/index.html');
    try {
      if (path.includes('..')) throw new Error('outside');
      const body = readFileSync(join(dir, path));
      response.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.closeAllConnections() ?? server.close(() => resolve())),
  };
}

interface Installed {
  dir: string;
  original: Map<string, string>;
  install: CliRun;
  installed: Map<string, string>;
}

let listen: CliServer;
let browser: Browser;
let database: string;
const sites: Record<string, Installed> = {};

async function installSite(name: string): Promise<Installed> {
  const dir = await copyFixture(name);
  const original = treeFingerprint(dir);
  const install = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', listen.url], { cwd: dir });
  return { dir, original, install, installed: treeFingerprint(dir) };
}

beforeAll(async () => {
  database = join(await copyFixture('static-single-page'), '..', 'events.db');
  listen = await startCliServer('listen', ['--database', database, '--json']);
  [browser] = await Promise.all([
    launchChromium(),
    ...['static-single-page', 'static-multi-page-crlf'].map(async (name) => (sites[name] = await installSite(name))),
  ]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  killServers();
  await removeFixtureCopies();
});

/** Opens `page` of the site, clicks `button`, and returns the next event the listen prints. */
async function clickThatThrows(dir: string, page: string, button: string): Promise<Record<string, unknown>> {
  const site = await serveSite(dir);
  const tab = await browser.newPage();
  try {
    await tab.goto(`${site.url}/${page}`);
    await tab.click(button);
    // doctor's probe events (type Message) of the other cases may come first.
    for (;;) {
      const { event } = JSON.parse(await listen.nextLine()) as { event: Record<string, unknown> };
      if (event.type !== 'Message') return event;
    }
  } finally {
    await tab.close();
    await site.close();
  }
}

async function rerunThenUninstall({ dir, original, installed }: Installed): Promise<void> {
  const again = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', listen.url], { cwd: dir });
  expect(again.exitCode, again.stderr).toBe(0);
  expect(again.stderr).toContain('Already set up');
  expect(treeDifferences(installed, treeFingerprint(dir))).toEqual([]);
  const uninstall = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir });
  expect(uninstall.exitCode, uninstall.stderr).toBe(0);
  expect(treeDifferences(original, treeFingerprint(dir))).toEqual([]);
}

const iife = () => readFileSync(join(repoRoot, 'runtimes', 'browser', 'dist', 'ez-pixel.iife.js'), 'utf8');

describe('a one-page site: inline and external scripts (static-single-page)', () => {
  const site = () => sites['static-single-page']!;

  it('copies the SDK and its init beside index.html and puts two lines before the first <script>; no .env', async () => {
    const { dir, install } = site();
    expect(install.exitCode, install.stderr).toBe(0);
    expect(install.stderr).toContain('browser / static, none, entry index.html');
    expect(install.stderr).toMatch(/no \.env/);
    // A page has no environment to read EZ_PIXEL_DISABLED from: the next steps do not offer it.
    expect(install.stderr).not.toContain('EZ_PIXEL_DISABLED');
    expect(readFileSync(join(dir, 'ez-pixel.min.js'), 'utf8')).toBe(iife());
    expect(readFileSync(join(dir, 'ez-pixel.init.js'), 'utf8')).toContain(JSON.stringify(listen.url));
    const diff = await git(dir, ['diff', '-U0', 'index.html']);
    expect(diff.split('\n').filter((line) => /^[-+][^-+]/.test(line))).toEqual(['+  <script src="ez-pixel.min.js"></script>', '+  <script src="ez-pixel.init.js"></script>']);
    expect(diff).toContain('@@ -7,0 +8,2 @@');
    expect((await git(dir, ['status', '--porcelain'])).split('\n').sort()).toEqual([' M index.html', '?? .ez-pixel/', '?? ez-pixel.init.js', '?? ez-pixel.min.js']);
  });

  it('reports a click that throws with its type, message and the page\'s own frame', async () => {
    const event = await clickThatThrows(site().dir, 'index.html', '#boom');
    expect(event).toMatchObject({ type: 'RangeError', message: 'no score table to reset (got undefined)', manual_report: false });
    expect((event.stack as { file: string; fn: string; in_app: boolean }[])[0]).toMatchObject({ file: 'app.js', fn: 'resetScores', in_app: true });
  });

  it('doctor is green with the probe, and fails naming the page that lost its lines', async () => {
    const { dir } = site();
    const green = await runCli(['doctor', '--cwd', dir, '--json'], { cwd: dir });
    const checks = JSON.parse(green.stdout).checks as { id: string; status: string }[];
    expect(checks.filter((check) => check.status !== 'pass'), green.stdout).toEqual([]);
    expect(checks.map((check) => check.id)).toEqual(expect.arrayContaining(['installed', 'load-order', 'pages', 'record', 'probe']));

    const wired = readFileSync(join(dir, 'index.html'), 'utf8');
    writeFileSync(join(dir, 'index.html'), wired.replace(/^ *<script src="ez-pixel\.[a-z]+\.js"><\/script>\n/gm, ''));
    const broken = await doctorChecks(dir);
    expect(broken.exitCode).toBe(1);
    expect(broken.checks.get('pages')).toMatchObject({ status: 'fail', message: expect.stringContaining('index.html does not load ez-pixel.min.js') });
    expect(broken.checks.get('pages')?.fix).toContain('npx ez-pixel install');
    writeFileSync(join(dir, 'index.html'), wired);
  });

  it('a re-run changes nothing, and uninstall gives back every byte', () => rerunThenUninstall(site()));
});

describe('a multi-page site with js/, a subfolder, CRLF and http-server (static-multi-page-crlf)', () => {
  const site = () => sites['static-multi-page-crlf']!;

  it('wires every page that runs JavaScript, from js/, keeping CRLF; a page without scripts is left alone', async () => {
    const { dir, install } = site();
    expect(install.exitCode, install.stderr).toBe(0);
    expect(install.stderr).toContain('browser / static, none, entry index.html');
    expect(readFileSync(join(dir, 'js', 'ez-pixel.min.js'), 'utf8')).toBe(iife());
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain('\t<div class="game-container"></div>\r\n\t</div>\r\n\r\n\t<script src="js/ez-pixel.min.js"></script>\r\n\t<script src="js/ez-pixel.init.js"></script>\r\n\t<script src="js/board.js"></script>\r\n');
    expect(readFileSync(join(dir, 'levels', 'level-1.html'), 'utf8')).toContain(
      '\t<script src="../js/ez-pixel.min.js"></script>\r\n\t<script src="../js/ez-pixel.init.js"></script>\r\n\t<script type="application/ld+json">',
    );
    expect((await git(dir, ['status', '--porcelain'])).split('\n').sort()).toEqual([' M index.html', ' M levels/level-1.html', '?? .ez-pixel/', '?? js/ez-pixel.init.js', '?? js/ez-pixel.min.js']);
    const record = JSON.parse(readFileSync(join(dir, '.ez-pixel', 'install.json'), 'utf8'));
    expect(record.entry.hookFiles).toEqual(['levels/level-1.html']);
    expect(record.dependency).toBeNull();
  });

  it('reports a click on a page in a subfolder, at js/board.js', async () => {
    const event = await clickThatThrows(site().dir, 'levels/level-1.html', '#undo');
    expect(event).toMatchObject({ type: 'TypeError', message: 'nothing to undo in level null' });
    expect((event.stack as { file: string; fn: string; in_app: boolean }[])[0]).toMatchObject({ file: 'js/board.js', in_app: true });
    expect((event.context as { page: string }).page).toMatch(/\/levels\/level-1\.html$/);
  });

  it('doctor fails on a deleted SDK file with its fix, and a re-run of install puts it back', async () => {
    const { dir, installed } = site();
    rmSync(join(dir, 'js', 'ez-pixel.min.js'));
    const broken = await doctorChecks(dir);
    expect(broken.exitCode).toBe(1);
    expect(broken.checks.get('installed')).toMatchObject({ status: 'fail', message: 'js/ez-pixel.min.js does not exist, so no page can load the SDK' });
    const again = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', listen.url], { cwd: dir });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(treeDifferences(installed, treeFingerprint(dir))).toEqual([]);
    const green = await doctorChecks(dir);
    expect([...green.checks.values()].filter((check) => check.status !== 'pass')).toEqual([]);
  });

  it('an SDK copied by another version of the CLI: doctor fails it, and a re-run copies this version over it', async () => {
    const { dir, installed } = site();
    const sdk = join(dir, 'js', 'ez-pixel.min.js');
    writeFileSync(sdk, `/* ez-pixel 0.1.9 */\n${iife()}`);
    const stale = await doctorChecks(dir);
    expect(stale.exitCode).toBe(1);
    expect(stale.checks.get('installed')).toMatchObject({ status: 'fail', message: expect.stringContaining('js/ez-pixel.min.js is not the SDK this CLI bundles') });
    expect(stale.checks.get('installed')?.fix).toContain('npx ez-pixel install');
    const again = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', listen.url], { cwd: dir });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stderr).toContain('js/ez-pixel.min.js');
    expect(treeDifferences(installed, treeFingerprint(dir))).toEqual([]);
    const green = await doctorChecks(dir);
    expect([...green.checks.values()].filter((check) => check.status !== 'pass')).toEqual([]);
  });

  it('a re-run changes nothing, and uninstall gives back every byte', () => rerunThenUninstall(site()));
});

describe('a landing index.html that runs nothing, demos in subfolders (modelled on mdn/dom-examples\' web-speech-api)', () => {
  it('wires the demos, doctor is green, uninstall gives back every byte', async () => {
    const dir = await makeProject('demos', {
      'index.html': '<!DOCTYPE html>\n<h1>Web Speech API demos</h1>\n<a href="phrase-matcher/">Phrase matcher</a>\n',
      'phrase-matcher/index.html': '<body>\n    <button>Start new test</button>\n    <script src="script.js"></script>\n  </body>\n',
      'phrase-matcher/script.js': 'document.querySelector("button").addEventListener("click", () => { throw new Error("no microphone"); });\n',
    });
    const before = treeFingerprint(dir);
    const install = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', listen.url], { cwd: dir });
    expect(install.exitCode, install.stderr).toBe(0);
    expect(readFileSync(join(dir, 'phrase-matcher', 'index.html'), 'utf8')).toContain('    <script src="../ez-pixel.min.js"></script>\n    <script src="../ez-pixel.init.js"></script>\n    <script src="script.js">');
    const doctor = await doctorChecks(dir);
    expect([...doctor.checks.values()].filter((check) => check.status !== 'pass')).toEqual([]);
    expect((await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir })).exitCode).toBe(0);
    expect(treeDifferences(before, treeFingerprint(dir))).toEqual([]);
  });
});

describe('install --dry-run on a static site', () => {
  it('shows the page edit and the init, names the minified SDK without its text, and changes nothing', async () => {
    const dir = await makeProject('dry-site', { 'index.html': '<head>\n  <script src="app.js"></script>\n</head>\n', 'app.js': 'start();\n' });
    const before = treeFingerprint(dir);
    const run = await runCli(['install', '--yes', '--dry-run', '--cwd', dir, '--ingest-url', listen.url], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^create ez-pixel\.min\.js \(a minified script, \d+ bytes; --json holds its text\)$/m);
    expect(run.stdout).toContain('+  <script src="ez-pixel.min.js"></script>\n+  <script src="ez-pixel.init.js"></script>\n   <script src="app.js"></script>');
    expect(run.stdout).toContain('+++ b/ez-pixel.init.js');
    expect(run.stdout).not.toContain('ezPixel=');
    expect(treeDifferences(before, treeFingerprint(dir))).toEqual([]);
  });
});

describe('a site whose index.html cannot take the lines', () => {
  it('exits 5 with the lines to paste, and changes nothing', async () => {
    const dir = await makeProject('one-line-site', { 'index.html': '<!doctype html><html><head><script src="app.js"></script></head><body></body></html>\n', 'app.js': 'init();\n' });
    const before = treeFingerprint(dir);
    const run = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', listen.url], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(5);
    expect(run.stderr).toContain('its first <script> shares line 1 of index.html with other markup');
    expect(run.stdout).toBe('<script src="ez-pixel.min.js"></script>\n<script src="ez-pixel.init.js"></script>');
    expect(treeDifferences(before, treeFingerprint(dir))).toEqual([]);
  });
});
