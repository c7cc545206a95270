// A Vite Vue app's entry: the init's import stays first, the import of reportVueErrors
// (src/ez-pixel.vue-errors.ts, written beside the init) goes after the last import (where
// import/order wants a relative import), and every app the entry makes
// goes through it: `createApp(App)` wrapped (also inside a chain, renamed or through a namespace,
// createSSRApp too), vite-ssg's setup callback given a marked first line. A shape install does not
// know is a note with the lines to add. Removal gives every byte back (CRLF, a BOM, no final
// newline, prettier's double quotes and semicolons, the import line restyled by the style pass).
import { describe, expect, it } from 'vitest';
import { platformNamed } from '../src/platforms/index.js';
import type { EntryWiring } from '../src/inject/index.js';
import { nodeProject, settings, tempProject } from './fixtures/inject/projects.js';

const browser = platformNamed('browser');

const vuePackage = '{ "dependencies": { "vue": "^3.5.0" }, "devDependencies": { "vite": "^7.1.0" } }';

function vueApp(main: string, files: Record<string, string> = {}) {
  const root = tempProject({ 'package.json': vuePackage, 'index.html': '<script type="module" src="/src/main.ts"></script>\n', 'src/main.ts': main, ...files });
  const project = nodeProject({ root, runtime: 'browser', framework: 'vite', typescript: true, entry: 'src/main.ts' });
  return { project, wiring: browser.initWiring(project, settings) };
}

async function wire(main: string, files: Record<string, string> = {}): Promise<{ wired: EntryWiring; after: string | null; removed: string | null }> {
  const { project, wiring } = vueApp(main, files);
  const read = async (path: string) => files[path] ?? null;
  const wired = await browser.wireEntry(project, 'src/main.ts', main, wiring, read);
  const after = wired.kind === 'wired' ? (wired.texts.get('src/main.ts') ?? null) : null;
  const removal = after === null ? null : await browser.removeInit(project, after, wiring);
  return { wired, after, removed: removal?.kind === 'remove' ? removal.after : null };
}

const INIT = "import './ez-pixel.init'; // ez-pixel";
const IMPORT = "import { reportVueErrors } from './ez-pixel.vue-errors'; // ez-pixel";

describe('Vue apps: install wires reportVueErrors, uninstall unwires it byte for byte', () => {
  it("a Vue app gets src/ez-pixel.vue-errors.ts beside the init: reportVueErrors, typed, chaining the app's own handler; a non-Vue app gets none", () => {
    const { wiring } = vueApp('');
    expect(wiring.files.map((file) => file.path)).toEqual(['src/ez-pixel.init.ts', 'src/ez-pixel.vue-errors.ts']);
    const handler = wiring.files[1]!.content;
    expect(handler).toContain("import { reportPixel } from '@ez-pixel/browser';\nimport type { App } from 'vue';");
    expect(handler).toContain('export function reportVueErrors<T extends App>(app: T): T {');
    expect(handler).toContain("reportPixel('caught by Vue (app.config.errorHandler)', { error, context: { vue_info: info } });");
    expect(handler).toContain('    else console.error(error);');
    expect(wiring.files[0]!.content).not.toContain('reportVueErrors');
    const react = nodeProject({ root: tempProject({ 'package.json': '{ "dependencies": { "react": "^19" } }' }), runtime: 'browser', framework: 'vite', typescript: true, entry: 'src/main.tsx' });
    expect(browser.initWiring(react, settings).files.map((file) => file.path)).toEqual(['src/ez-pixel.init.ts']);
  });

  it('const app = createApp(App): wrapped, the handler imported after the last import', async () => {
    const main = "import { createApp } from 'vue'\nimport App from './App.vue'\n\nconst app = createApp(App)\napp.use(router)\napp.mount('#app')\n";
    const { wired, after, removed } = await wire(main);
    expect(wired).toMatchObject({ kind: 'wired', followUps: [] });
    expect(after).toBe(`${INIT}\nimport { createApp } from 'vue'\nimport App from './App.vue'\n${IMPORT}\n\nconst app = reportVueErrors(createApp(App))\napp.use(router)\napp.mount('#app')\n`);
    expect(removed).toBe(main);
  });

  it('the chained createApp(App).use(router).mount(…), a renamed import, a namespace and createSSRApp', async () => {
    const chained = "import { createApp } from 'vue'\nimport App from './App.vue'\n\ncreateApp(App).use(router).mount('#app')\n";
    expect((await wire(chained)).after).toContain('\nreportVueErrors(createApp(App)).use(router).mount(\'#app\')\n');
    expect((await wire(chained)).removed).toBe(chained);
    const renamed = "import { createSSRApp as make } from 'vue'\nexport const app = make(App)\n";
    expect((await wire(renamed)).after).toContain('export const app = reportVueErrors(make(App))');
    const namespace = "import * as Vue from 'vue'\nVue.createApp({\n  render: () => null,\n}).mount('#app')\n";
    const { after, removed } = await wire(namespace);
    expect(after).toContain('reportVueErrors(Vue.createApp({\n  render: () => null,\n})).mount');
    expect(removed).toBe(namespace);
  });

  it("vite-ssg: the setup callback's first line calls it with the app it receives ((ctx) or ({ app }))", async () => {
    const ctx = "import { ViteSSG } from 'vite-ssg'\nimport App from './App.vue'\nimport type { UserModule } from './types' // modules\n\nexport const createApp = ViteSSG(\n  App,\n  { routes },\n  (ctx) => {\n    // install all modules\n    ctx.app.use(head)\n  },\n)\n";
    const { after, removed } = await wire(ctx);
    expect(after).toContain(`import type { UserModule } from './types' // modules\n${IMPORT}\n\nexport`);
    expect(after).toContain('  (ctx) => {\n    reportVueErrors(ctx.app); // ez-pixel\n    // install all modules\n');
    expect(removed).toBe(ctx);
    const destructured = "import { ViteSSG } from 'vite-ssg/single-page'\nexport const createApp = ViteSSG(App, ({ app: vueApp, router }) => {\n\tvueApp.use(router)\n})\n";
    const wiredDestructured = await wire(destructured);
    expect(wiredDestructured.after).toContain('=> {\n\treportVueErrors(vueApp); // ez-pixel\n\tvueApp.use(router)');
    expect(wiredDestructured.removed).toBe(destructured);
  });

  it('CRLF, a BOM, no final newline; prettier-formatted (double quotes, semicolons) with the import restyled', async () => {
    const crlf = "\ufeffimport { createApp } from 'vue'\r\nimport App from './App.vue'\r\n\r\ncreateApp(App).mount('#app')";
    const { after, removed } = await wire(crlf);
    expect(after).toBe(`\ufeff${INIT}\r\nimport { createApp } from 'vue'\r\nimport App from './App.vue'\r\n${IMPORT}\r\n\r\nreportVueErrors(createApp(App)).mount('#app')`);
    expect(removed).toBe(crlf);

    const pretty = 'import { createApp } from "vue";\nimport App from "./App.vue";\n\nconst app = createApp(App);\n\napp.mount("#app");\n';
    const { project, wiring } = vueApp(pretty);
    const styled = `import "./ez-pixel.init" // ez-pixel\n${pretty.replace('./App.vue";\n', './App.vue";\nimport { reportVueErrors } from "./ez-pixel.vue-errors" // ez-pixel\n').replace('createApp(App);', 'reportVueErrors(createApp(App));')}`;
    expect(await browser.removeInit(project, styled, wiring)).toEqual({ kind: 'remove', after: pretty });
  });

  it('a re-run on a wired entry changes nothing; one whose wrap was taken out gets it back', async () => {
    const main = "import { createApp } from 'vue'\ncreateApp(App).mount('#app')\n";
    const { after } = await wire(main);
    const { project, wiring } = vueApp(main);
    expect(await browser.wireEntry(project, 'src/main.ts', after!, wiring, async () => null)).toEqual({ kind: 'present' });
    const unwrapped = after!.replace('reportVueErrors(createApp(App))', 'createApp(App)');
    expect(await browser.wireEntry(project, 'src/main.ts', unwrapped, wiring, async () => null)).toEqual({ kind: 'wired', texts: new Map([['src/main.ts', after]]), followUps: [] });
  });

  it("an app that sets its own errorHandler is still wrapped (the handler chains it); the handler's import moved by ESLint's import/order is still found", async () => {
    const own = "import { createApp } from 'vue'\nconst app = createApp(App)\napp.config.errorHandler = (e) => console.error(e)\napp.mount('#app')\n";
    expect((await wire(own)).after).toContain('const app = reportVueErrors(createApp(App))');
    const { project, wiring } = vueApp(own);
    const main = "import { createApp } from 'vue'\nimport App from './App.vue'\n\ncreateApp(App).mount('#app')\n";
    const moved = `${INIT}\nimport { createApp } from 'vue'\n${IMPORT}\nimport App from './App.vue'\n\nreportVueErrors(createApp(App)).mount('#app')\n`;
    expect(await browser.wireEntry(project, 'src/main.ts', moved, wiring, async () => null)).toEqual({ kind: 'present' });
    expect(await browser.removeInit(project, moved, wiring)).toEqual({ kind: 'remove', after: main });
  });

  it('shapes install does not know: the plain import, and a note naming the shape with the lines to add', async () => {
    const elsewhere = "import { app } from './app'\napp.mount('#app')\n";
    const made = await wire(elsewhere);
    expect(made.after).toBe(`import './ez-pixel.init'; // ez-pixel\n${elsewhere}`);
    expect(made.wired).toMatchObject({
      followUps: [{ reason: expect.stringContaining("src/main.ts: it calls no createApp(…) imported from 'vue' (nor vite-ssg's ViteSSG(…)): the app is made elsewhere, so pass the app to reportVueErrors yourself"), snippet: `${IMPORT}\n\nconst app = reportVueErrors(createApp(App))` }],
    });
    expect(made.removed).toBe(elsewhere);
    const noCallback = await wire("import { ViteSSG } from 'vite-ssg'\nexport const createApp = ViteSSG(App, { routes })\n");
    expect(noCallback.wired).toMatchObject({ followUps: [{ reason: expect.stringContaining('ViteSSG(…) has no setup callback') }] });
    const petite = await wire("import { createApp } from 'petite-vue'\ncreateApp({}).mount()\n");
    expect(petite.after).not.toContain('reportVueErrors(');
  });

  it('a marked Vue line the user edited is left alone, with the reason', async () => {
    const { project, wiring } = vueApp('');
    const edited = "import { reportVueErrors, other } from './ez-pixel.vue-errors'; // ez-pixel\nreportVueErrors(createApp(App)).mount('#app')\n";
    expect(await browser.removeInit(project, edited, wiring)).toMatchObject({ kind: 'manual', reason: expect.stringContaining('changed after install') });
  });
});
