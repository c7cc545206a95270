// Next.js's browser side before 15.3 and its exact removal: the root layout gets the client
// component's import and its element (first in <body>, or in <html> when `<body>{children}</body>`
// is one line), pages/_app gets one import (or is created as Next's default), whole lines only;
// removal gives every file back byte for byte, for LF and CRLF. From 15.3 instrumentation-client
// is created, or an existing one gets the import after its directives.
import { describe, expect, it } from 'vitest';
import { nextClientSide } from '../src/platforms/node/full-stack/next-client.js';
import type { Project } from '../src/project.js';
import { makeProject } from './helpers/fixtures.js';

const settings = { projectKey: 'pk_live_0123456789abcdef0123456789abcdef', ingestUrl: 'http://127.0.0.1:4318/ingest' };

function nextProject(root: string, typescript = false): Project {
  return {
    root, runtime: 'node', framework: 'next', packageManager: 'npm', moduleSystem: 'esm', typescript,
    manifest: 'package.json', entry: null, workspaceRoot: null, interpreter: null, evidence: [],
  } as Project;
}

async function planned(files: Record<string, string>, next: string, typescript = false) {
  const root = await makeProject('next-client', { 'package.json': JSON.stringify({ dependencies: { next } }), ...files });
  const project = nextProject(root, typescript);
  const read = async (path: string): Promise<string | null> => files[path] ?? null;
  const plan = await nextClientSide.plan(project, settings, read);
  return { project, plan, edit: (path: string) => plan.edits.find((edit) => edit.path === path) };
}

const layout = (eol: string, body: string) =>
  ['export default function RootLayout({ children }) {', '  return (', '    <html lang="en">', body, '    </html>', '  );', '}', ''].join(eol);

describe('Next.js 13.4–15.2: the root layout renders the client component', () => {
  for (const eol of ['\n', '\r\n']) {
    it(`a multi-line <body>: the element goes first inside it, removal restores the bytes (${JSON.stringify(eol)})`, async () => {
      const source = layout(eol, ['      <body className="app">', '        {children}', '      </body>'].join(eol));
      const { project, edit, plan } = await planned({ 'app/layout.js': source }, '14.2.28');
      const after = edit('app/layout.js')?.after ?? '';
      expect(after).toBe(
        [
          "import EzPixelClient from '../ez-pixel.client'; // ez-pixel",
          'export default function RootLayout({ children }) {', '  return (', '    <html lang="en">',
          '      <body className="app">', '        <EzPixelClient /> {/* ez-pixel */}', '        {children}', '      </body>',
          '    </html>', '  );', '}', '',
        ].join(eol),
      );
      expect(plan.notes).toEqual([]);
      // The init is a client component that runs only in the browser.
      const init = edit('ez-pixel.client.js')?.after ?? '';
      expect(init.startsWith("'use client';\n")).toBe(true);
      expect(init).toContain("if (typeof window !== 'undefined') {");
      expect(init).toContain('export default function EzPixelClient() {');
      expect(await nextClientSide.removeLines(project, 'app/layout.js', after)).toEqual({ kind: 'remove', after: source });
    });
  }

  it('`<body>{children}</body>` on one line: the element goes first inside <html>', async () => {
    const source = layout('\n', '      <body>{children}</body>');
    const { project, edit } = await planned({ 'app/layout.js': source }, '^14.1.0');
    const after = edit('app/layout.js')?.after ?? '';
    expect(after.split('\n').slice(3, 6)).toEqual(['    <html lang="en">', '      <EzPixelClient /> {/* ez-pixel */}', '      <body>{children}</body>']);
    expect(await nextClientSide.removeLines(project, 'app/layout.js', after)).toEqual({ kind: 'remove', after: source });
  });

  it('a layout where neither tag ends its line: no edit, a note with the lines to add', async () => {
    const source = 'export default function RootLayout({ children }) {\n  return <html lang="en"><body>{children}</body></html>;\n}\n';
    const { plan } = await planned({ 'app/layout.js': source }, '15.2.4');
    expect(plan.edits.map((edit) => edit.path)).toEqual(['ez-pixel.client.js']);
    expect(plan.notes[0]).toMatch(/^app\/layout\.js: <body> shares its line with other code, and <html> shares its line with other code; the browser side is not loaded until you add:\nimport EzPixelClient/);
  });

  it('an element line the user edited since: left alone, named', async () => {
    const source = layout('\n', ['      <body>', '        {children}', '      </body>'].join('\n'));
    const { project, edit } = await planned({ 'app/layout.js': source }, '14.2.28');
    const edited = (edit('app/layout.js')?.after ?? '').replace('<EzPixelClient />', '<EzPixelClient debug />');
    expect(await nextClientSide.removeLines(project, 'app/layout.js', edited)).toEqual({ kind: 'manual', reason: 'lines marked ez-pixel were changed after install', snippet: '<EzPixelClient debug /> {/* ez-pixel */}' });
  });
});

describe('Next.js before 15.3: pages/_app', () => {
  it('an existing _app gets the import first, removal restores it', async () => {
    const source = "import '../styles/globals.css';\n\nexport default function App({ Component, pageProps }) {\n  return <Component {...pageProps} />;\n}";
    const { project, edit } = await planned({ 'pages/_app.js': source }, '13.5.6');
    const after = edit('pages/_app.js')?.after ?? '';
    expect(after).toBe(`import '../ez-pixel.client'; // ez-pixel\n${source}`);
    expect(await nextClientSide.removeLines(project, 'pages/_app.js', after)).toEqual({ kind: 'remove', after: source });
  });

  it('no _app: Next’s default App is created (TypeScript: _app.tsx with AppProps)', async () => {
    const { edit } = await planned({ 'pages/index.tsx': 'export default function Home() { return null; }\n' }, '14.2.28', true);
    const created = edit('pages/_app.tsx');
    expect(created?.before).toBeNull();
    expect(created?.after).toContain("import type { AppProps } from 'next/app';\nimport '../ez-pixel.client'; // ez-pixel\n");
    expect(created?.after).toContain('export default function App({ Component, pageProps }: AppProps) {');
    // Only the pages router: the init needs no component.
    expect(edit('ez-pixel.client.ts')?.after).not.toContain('use client');
  });
});

describe('Next.js 15.3+: instrumentation-client', () => {
  it('an existing one gets the import before its first statement, after the directives; a re-run plans nothing more', async () => {
    const source = "'use strict';\n// the app's own\nperformance.mark('app-init');\n";
    const files: Record<string, string> = { 'src/app/page.tsx': '', 'src/instrumentation-client.ts': source };
    const first = await planned(files, '^15.3.0', true);
    const after = first.edit('src/instrumentation-client.ts')?.after ?? '';
    expect(after).toBe("'use strict';\n// the app's own\nimport './ez-pixel.client'; // ez-pixel\nperformance.mark('app-init');\n");
    expect(await nextClientSide.removeLines(first.project, 'src/instrumentation-client.ts', after)).toEqual({ kind: 'remove', after: source });
    const init = first.edit('src/ez-pixel.client.ts')?.after ?? '';
    const again = await planned({ ...files, 'src/instrumentation-client.ts': after, 'src/ez-pixel.client.ts': init }, '^15.3.0', true);
    expect(again.plan).toEqual({ edits: [], notes: [] });
  });
});
