// install's `build.sourcemap: 'hidden'` in vite.config (src/platforms/node/wiring/vite-source-maps.ts):
// one marked line placed through the AST on the config shapes people have, taken out again by
// uninstall byte for byte (CRLF, BOM, prettier's style); the user's own sourcemap is never touched.
import { describe, expect, it } from 'vitest';
import { planHiddenSourceMaps, removeHiddenSourceMaps } from '../src/platforms/node/wiring/vite-source-maps.js';

async function plan(files: Record<string, string>) {
  const planned = await planHiddenSourceMaps(async (path) => files[path] ?? null);
  if (planned.kind === 'edit' && planned.edit.before !== null) {
    // Uninstall gives back the file as it was.
    expect(removeHiddenSourceMaps(planned.edit.after!)).toEqual({ kind: 'remove', after: files[planned.edit.path] });
  }
  return planned;
}

const after = async (files: Record<string, string>) => {
  const planned = await plan(files);
  expect(planned.kind, JSON.stringify(planned)).toBe('edit');
  return planned.kind === 'edit' ? planned.edit.after : null;
};

describe("vite.config gets build.sourcemap: 'hidden'", () => {
  it('defineConfig({...}): the build line first in the config', async () => {
    const config = "import { defineConfig } from 'vite';\nimport react from '@vitejs/plugin-react';\n\nexport default defineConfig({\n  plugins: [react()],\n});\n";
    expect(await after({ 'vite.config.js': config })).toBe(
      "import { defineConfig } from 'vite';\nimport react from '@vitejs/plugin-react';\n\nexport default defineConfig({\n  build: { sourcemap: 'hidden' }, // ez-pixel\n  plugins: [react()],\n});\n",
    );
  });

  it('defineConfig(() => ({...})), with the arrow taking the mode', async () => {
    const config = "export default defineConfig(({ mode }) => ({\n\tplugins: [],\n\tbase: mode === 'production' ? '/app/' : '/',\n}));\n";
    expect(await after({ 'vite.config.ts': config })).toBe("export default defineConfig(({ mode }) => ({\n\tbuild: { sourcemap: 'hidden' }, // ez-pixel\n\tplugins: [],\n\tbase: mode === 'production' ? '/app/' : '/',\n}));\n");
  });

  it('an object export, a variable, `satisfies UserConfig`, module.exports', async () => {
    expect(await after({ 'vite.config.mjs': 'export default {\n  root: "src",\n};\n' })).toContain("  build: { sourcemap: 'hidden' }, // ez-pixel\n  root: \"src\",");
    expect(await after({ 'vite.config.ts': "const config = {\n  plugins: [],\n} satisfies UserConfig;\nexport default config;\n" })).toContain("const config = {\n  build: { sourcemap: 'hidden' }, // ez-pixel\n  plugins: [],");
    expect(await after({ 'vite.config.cjs': 'module.exports = {\n  plugins: [],\n};\n' })).toContain("module.exports = {\n  build: { sourcemap: 'hidden' }, // ez-pixel\n");
  });

  it('an existing build object gets the sourcemap line inside it', async () => {
    const config = "export default defineConfig({\n  build: {\n    outDir: 'public/build',\n  },\n});\n";
    expect(await after({ 'vite.config.ts': config })).toBe("export default defineConfig({\n  build: {\n    sourcemap: 'hidden', // ez-pixel\n    outDir: 'public/build',\n  },\n});\n");
  });

  it('keeps CRLF, a BOM and prettier-free style; the first config Vite would load is the one edited', async () => {
    const config = '\uFEFFexport default defineConfig({\r\n  plugins: [react()]\r\n})\r\n';
    const edited = await after({ 'vite.config.ts': config, 'vite.config.js': 'export default {\n  a: 1,\n};\n' });
    expect(edited).toBe("\uFEFFexport default defineConfig({\r\n  build: { sourcemap: 'hidden' }, // ez-pixel\r\n  plugins: [react()]\r\n})\r\n");
  });

  it('a line prettier reformatted (double quotes, no semicolon issue) is still ours on uninstall; one the user edited is left to them', () => {
    const config = 'export default defineConfig({\n  build: { sourcemap: "hidden" }, // ez-pixel\n  plugins: [],\n});\n';
    expect(removeHiddenSourceMaps(config)).toEqual({ kind: 'remove', after: 'export default defineConfig({\n  plugins: [],\n});\n' });
    const changed = 'export default defineConfig({\n  build: { sourcemap: true }, // ez-pixel\n  plugins: [],\n});\n';
    expect(removeHiddenSourceMaps(changed)).toMatchObject({ kind: 'manual' });
    expect(removeHiddenSourceMaps('export default {};\n')).toEqual({ kind: 'absent' });
  });
});

describe('the user\'s choice and the shapes left to the user', () => {
  it('an existing sourcemap (true, false, inline, in build or set later) is left alone', async () => {
    for (const config of [
      'export default defineConfig({\n  build: { sourcemap: true },\n});\n',
      "export default defineConfig({\n  build: {\n    sourcemap: false,\n  },\n});\n",
      "const config = defineConfig({\n  plugins: [],\n});\nconfig.build.sourcemap = 'inline';\nexport default config;\n",
    ]) {
      expect(await plan({ 'vite.config.ts': config })).toEqual({ kind: 'present' });
    }
  });

  it('a function with a body, a one-line or empty object, a build that is not an object, no config: a note with the line to add', async () => {
    const cases: [string, string][] = [
      ['export default defineConfig(({ mode }) => {\n  return { plugins: [] };\n});\n', 'its export is not an object literal'],
      ['export default defineConfig({ plugins: [] });\n', 'on one line'],
      ['export default defineConfig({});\n', 'empty'],
      ['export default defineConfig({\n  build: shared.build,\n});\n', '`build` is not an object literal'],
      ['export default defineConfig({\n  plugins: [\n', 'cannot parse it'],
    ];
    for (const [config, reason] of cases) {
      const planned = await plan({ 'vite.config.ts': config });
      expect(planned.kind, config).toBe('manual');
      expect(planned.kind === 'manual' && planned.note, config).toContain(reason);
      expect(planned.kind === 'manual' && planned.note).toContain("build: { sourcemap: 'hidden' },");
    }
    const named = await plan({ 'package.json': JSON.stringify({ scripts: { build: 'vite build --config build/vite.prod.ts' } }) });
    expect(named).toMatchObject({ kind: 'manual', note: expect.stringContaining('names its own Vite config (--config)') });
  });

  it('no config at all: vite.config.mjs is created with just the line (uninstall deletes it by its hash)', async () => {
    const planned = await plan({ 'package.json': JSON.stringify({ scripts: { build: 'vite build' } }) });
    expect(planned).toMatchObject({ kind: 'edit', edit: { path: 'vite.config.mjs', before: null } });
    expect(planned.kind === 'edit' && planned.edit.after).toContain("export default {\n  build: { sourcemap: 'hidden' }, // ez-pixel\n};\n");
  });
});
