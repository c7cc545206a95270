import { describe, expect, it } from 'vitest';
import { readPage } from '../src/platforms/browser/static/page.js';
import { addPageTags, pageTagOrder, removePageTags, type SiteScripts, type TagPlacement } from '../src/platforms/browser/static/page-tags.js';

const atRoot: SiteScripts = { sdk: 'ez-pixel.min.js', init: 'ez-pixel.init.js' };
const inJs: SiteScripts = { sdk: 'js/ez-pixel.min.js', init: 'js/ez-pixel.init.js' };

function inserted(placement: TagPlacement): string {
  if (placement.kind !== 'insert') throw new Error(`expected an insert, got ${JSON.stringify(placement)}`);
  return placement.after;
}

/** Inserts, checks the removal gives every byte back, and returns the page with the tags. */
function roundTrip(text: string, page = 'index.html', scripts = atRoot): string {
  const after = inserted(addPageTags(page, text, scripts));
  expect(removePageTags(after)).toEqual({ kind: 'remove', after: text });
  expect(addPageTags(page, after, scripts)).toEqual({ kind: 'present' });
  return after;
}

describe('addPageTags: whole lines before the first <script>, parsed with parse5', () => {
  it('goes before the first script in <head>, indented like it', () => {
    const page = '<!doctype html>\n<html>\n  <head>\n    <title>Game</title>\n    <script src="game.js" defer></script>\n  </head>\n</html>\n';
    expect(roundTrip(page)).toBe(
      '<!doctype html>\n<html>\n  <head>\n    <title>Game</title>\n    <script src="ez-pixel.min.js"></script>\n    <script src="ez-pixel.init.js"></script>\n    <script src="game.js" defer></script>\n  </head>\n</html>\n',
    );
    expect(pageTagOrder(roundTrip(page))).toEqual({ kind: 'first' });
  });

  it('keeps CRLF, a BOM and a missing final newline', () => {
    const page = '\uFEFF<html><head>\r\n\t<link rel="stylesheet" href="a.css">\r\n</head>\r\n<body>\r\n\t<script src="js/app.js"></script>\r\n</body></html>';
    const after = roundTrip(page, 'index.html', inJs);
    expect(after).toBe('\uFEFF<html><head>\r\n\t<link rel="stylesheet" href="a.css">\r\n</head>\r\n<body>\r\n\t<script src="js/ez-pixel.min.js"></script>\r\n\t<script src="js/ez-pixel.init.js"></script>\r\n\t<script src="js/app.js"></script>\r\n</body></html>');
  });

  it('goes before an inline script or a type="module" one, whichever comes first', () => {
    const inline = '<head>\n  <script>window.config = {};</script>\n  <script type="module" src="main.js"></script>\n</head>\n';
    expect(roundTrip(inline).split('\n').slice(1, 3)).toEqual(['  <script src="ez-pixel.min.js"></script>', '  <script src="ez-pixel.init.js"></script>']);
    const moduleOnly = '<body>\n  <canvas></canvas>\n  <script type="module" src="main.js"></script>\n</body>\n';
    expect(roundTrip(moduleOnly).split('\n')[2]).toBe('  <script src="ez-pixel.min.js"></script>');
  });

  it('skips a "<script" inside a comment, a <template>, an inline script\'s string and a <noscript>', () => {
    const page = [
      '<html><head>',
      '  <!-- <script src="old.js"></script> -->',
      '  <template><script>never()</script></template>',
      '  <noscript><script>none()</script></noscript>',
      '</head><body>',
      '  <SCRIPT>document.write("<script src=\\"x.js\\"><\\/script>")</SCRIPT>',
      '</body></html>',
    ].join('\n');
    const lines = roundTrip(page).split('\n');
    expect(lines[5]).toBe('  <script src="ez-pixel.min.js"></script>');
    expect(lines[7]).toMatch(/^  <SCRIPT>/);
  });

  it('has no <head> written: before the first script all the same', () => {
    const page = '<!doctype html>\n<title>Tiny</title>\n<p>Hi</p>\n<script src="tiny.js"></script>\n';
    expect(roundTrip(page)).toContain('<p>Hi</p>\n<script src="ez-pixel.min.js"></script>\n<script src="ez-pixel.init.js"></script>\n<script src="tiny.js">');
  });

  it('a page with only on… handlers gets the lines at the end of <head>', () => {
    const page = '<html>\n<head>\n    <meta charset="utf-8">\n</head>\n<body><button onclick="go()">Go</button></body>\n</html>\n';
    expect(readPage(page).runsScript).toBe(true);
    expect(roundTrip(page)).toContain('<meta charset="utf-8">\n    <script src="ez-pixel.min.js"></script>\n    <script src="ez-pixel.init.js"></script>\n</head>');
  });

  it('names the scripts from a page in a subfolder, and from its <base href>', () => {
    expect(roundTrip('<head>\n<script src="../js/a.js"></script>\n</head>\n', 'levels/two.html', inJs)).toContain('<script src="../js/ez-pixel.min.js"></script>');
    expect(roundTrip('<head>\n<base href="/">\n<script src="js/a.js"></script>\n</head>\n', 'levels/two.html', inJs)).toContain('<script src="js/ez-pixel.min.js"></script>');
    expect(roundTrip('<head>\n<base href="../">\n<script src="js/a.js"></script>\n</head>\n', 'levels/two.html', inJs)).toContain('<script src="js/ez-pixel.min.js"></script>');
    // A <base> after the insertion point does not apply to our tags.
    expect(roundTrip('<head>\n<script src="a.js"></script>\n<base href="/x/">\n</head>\n', 'p/index.html', inJs)).toContain('<script src="../js/ez-pixel.min.js"></script>');
  });

  it('answers manual, changing nothing, where a line cannot be placed safely', () => {
    const otherOrigin = addPageTags('index.html', '<head>\n<base href="https://cdn.example.com/">\n<script src="a.js"></script>\n</head>\n', inJs);
    expect(otherOrigin).toMatchObject({ kind: 'manual', snippet: '<script src="js/ez-pixel.min.js"></script>\n<script src="js/ez-pixel.init.js"></script>' });
    expect(otherOrigin.kind === 'manual' && otherOrigin.reason).toContain('https://cdn.example.com/');
    const oneLine = addPageTags('index.html', '<html><head><script src="a.js"></script></head></html>', atRoot);
    expect(oneLine.kind === 'manual' && oneLine.reason).toMatch(/shares line 1 of index.html/);
    const unclosed = addPageTags('index.html', '<head>\n<script src="a.js"></script>\n<!-- the rest is a comment\n</head>\n', atRoot);
    expect(unclosed.kind === 'manual' && unclosed.reason).toMatch(/does not parse to its end \(eof-in-comment/);
    const half = addPageTags('index.html', '<head>\n<script src="ez-pixel.min.js"></script>\n<script src="a.js"></script>\n</head>\n', atRoot);
    expect(half).toMatchObject({ kind: 'manual', reason: expect.stringContaining('loads ez-pixel.min.js but not the other'), snippet: '<script src="ez-pixel.min.js"></script>\n<script src="ez-pixel.init.js"></script>' });
    const nowhere = addPageTags('index.html', '<p onclick="x()">x</p>', atRoot);
    expect(nowhere.kind === 'manual' && nowhere.reason).toMatch(/neither a <script> nor a <\/head>/);
  });
});

describe('readPage: whether the page runs JavaScript', () => {
  it('counts JavaScript scripts and handlers, not JSON-LD or templates', () => {
    expect(readPage('<script type="application/ld+json">{}</script><template><script>x()</script></template>').runsScript).toBe(false);
    expect(readPage('<script type="text/javascript">x()</script>').runsScript).toBe(true);
    expect(readPage('<p>no scripts</p>').runsScript).toBe(false);
  });
});

describe('removePageTags and pageTagOrder', () => {
  it('leaves a line of ours the user changed, and says so', () => {
    const edited = '<head>\n  <script src="ez-pixel.min.js" defer></script>\n  <script src="ez-pixel.init.js"></script>\n</head>\n';
    expect(removePageTags(edited)).toMatchObject({ kind: 'manual', snippet: '<script src="ez-pixel.min.js" defer></script>' });
    expect(removePageTags('<head></head>')).toEqual({ kind: 'absent' });
  });

  it('names the script that runs before ours, and a page without them', () => {
    const late = '<head>\n<script>early()</script>\n<script src="ez-pixel.min.js"></script>\n<script src="ez-pixel.init.js"></script>\n</head>';
    expect(pageTagOrder(late)).toEqual({ kind: 'late', before: 'an inline <script> (line 2)' });
    expect(pageTagOrder('<head><script src="app.js"></script></head>')).toEqual({ kind: 'missing' });
  });
});
