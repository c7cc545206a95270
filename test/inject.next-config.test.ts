// Next.js by version: which wiring each version gets, and the next.config edit for 13.2–14
// (through the AST, one marked line, taken out again by uninstall) on the config shapes people have.
import { describe, expect, it } from 'vitest';
import { nextVersion, nextWiringKind } from '../src/platforms/node/detect/next-version.js';
import { enableInstrumentationHook } from '../src/platforms/node/wiring/next-config.js';
import { removeRequestErrorHooks } from '../src/platforms/node/wiring/request-errors.js';
import { initWiringFor } from '../src/templates/index.js';
import { nodeProject, settings, tempProject } from './fixtures/inject/projects.js';

const legacy = () => {
  const root = tempProject({ 'package.json': JSON.stringify({ dependencies: { next: '^14.1.0' } }), 'node_modules/next/package.json': '{ "version": "14.2.5" }' });
  return initWiringFor(nodeProject({ root, framework: 'next', entry: null }), settings);
};

async function configEdit(files: Record<string, string>) {
  const wiring = legacy();
  const edit = await enableInstrumentationHook(wiring, async (path) => files[path] ?? null);
  if (edit.kind === 'edit' && files[edit.path] !== undefined) {
    expect(removeRequestErrorHooks(edit.text, wiring)).toEqual({ kind: 'removed', after: files[edit.path], count: 1 });
  }
  return edit;
}

describe('the Next.js version decides the wiring', () => {
  it('reads the installed version first, then the declared range', () => {
    const installed = tempProject({ 'package.json': JSON.stringify({ dependencies: { next: '^15.0.0' } }), 'node_modules/next/package.json': '{ "version": "14.2.28" }' });
    expect(nextVersion(installed)).toEqual({ major: 14, minor: 2, from: 'node_modules/next 14.2.28' });
    const declared = tempProject({ 'package.json': JSON.stringify({ dependencies: { next: '~13.4.19' } }) });
    expect(nextVersion(declared)).toEqual({ major: 13, minor: 4, from: 'package.json "next": "~13.4.19"' });
  });

  it.each([
    [{ major: 16, minor: 0 }, 'on-request-error'],
    [{ major: 15, minor: 0 }, 'on-request-error'],
    [{ major: 14, minor: 2 }, 'instrumentation-flag'],
    [{ major: 13, minor: 2 }, 'instrumentation-flag'],
    [{ major: 13, minor: 1 }, 'unsupported'],
    [{ major: 12, minor: 3 }, 'unsupported'],
  ])('%o → %s', (version, kind) => {
    expect(nextWiringKind({ ...version, from: 'test' })).toBe(kind);
  });

  it('13.2–14: the init also calls reportNextErrors(); 15+: it does not', () => {
    expect(legacy().files[0]?.content).toContain("import { initPixel, reportNextErrors } from '@ez-pixel/node';");
    expect(legacy().files[0]?.content).toMatch(/\nreportNextErrors\(\);\n$/);
    const modern = tempProject({ 'package.json': JSON.stringify({ dependencies: { next: '^15.5.0' } }) });
    expect(initWiringFor(nodeProject({ root: modern, framework: 'next', entry: null }), settings).files[0]?.content).not.toContain('reportNextErrors');
  });
});

describe('experimental.instrumentationHook in next.config', () => {
  it('a config variable (create-next-app 14): one statement before the export', async () => {
    const source = "/** @type {import('next').NextConfig} */\nconst nextConfig = {};\n\nexport default nextConfig;\n";
    expect(await configEdit({ 'next.config.mjs': source })).toEqual({
      kind: 'edit',
      path: 'next.config.mjs',
      text: "/** @type {import('next').NextConfig} */\nconst nextConfig = {};\n\nnextConfig.experimental = { ...nextConfig.experimental, instrumentationHook: true }; // ez-pixel\nexport default nextConfig;\n",
    });
  });

  it('a config without semicolons: the line cannot continue the object literal above it', async () => {
    const source = '/** @type {import(\'next\').NextConfig} */\nconst nextConfig = {\n  reactStrictMode: true,\n  experimental: { typedRoutes: true }\n}\n\nmodule.exports = nextConfig\n';
    const edit = await configEdit({ 'next.config.js': source });
    expect(edit.kind).toBe('edit');
    const module = { exports: {} as unknown };
    new Function('module', (edit as { text: string }).text)(module);
    expect(module.exports).toEqual({ reactStrictMode: true, experimental: { typedRoutes: true, instrumentationHook: true } });
  });

  it('through a plugin wrapper, in CommonJS', async () => {
    const source = "const withBundleAnalyzer = require('@next/bundle-analyzer')();\nconst config = {\n  reactStrictMode: true,\n  experimental: { serverActions: true },\n};\nmodule.exports = withBundleAnalyzer(config);\n";
    const edit = await configEdit({ 'next.config.js': source });
    expect(edit).toMatchObject({ kind: 'edit', text: expect.stringContaining('};\nconfig.experimental = { ...config.experimental, instrumentationHook: true }; // ez-pixel\nmodule.exports = withBundleAnalyzer(config);') });
  });

  it('an exported object literal: `experimental` first, or the flag first inside its own', async () => {
    const plain = 'module.exports = {\n  reactStrictMode: true,\n};\n';
    expect(await configEdit({ 'next.config.js': plain })).toMatchObject({ text: 'module.exports = {\n  experimental: { instrumentationHook: true }, // ez-pixel\n  reactStrictMode: true,\n};\n' });
    const own = 'module.exports = {\n  experimental: {\n    typedRoutes: true,\n  },\n};\n';
    expect(await configEdit({ 'next.config.js': own })).toMatchObject({ text: 'module.exports = {\n  experimental: {\n    instrumentationHook: true, // ez-pixel\n    typedRoutes: true,\n  },\n};\n' });
  });

  it('already enabled: nothing to do; no config: next.config.mjs is created', async () => {
    expect(await configEdit({ 'next.config.js': 'module.exports = {\n  experimental: { instrumentationHook: true },\n};\n' })).toEqual({ kind: 'present' });
    expect(await configEdit({})).toMatchObject({ kind: 'edit', path: 'next.config.mjs', text: expect.stringContaining('  experimental: { instrumentationHook: true }, // ez-pixel\n') });
  });

  it('a config that is a function of the phase: manual, with the line to add', async () => {
    const edit = await configEdit({ 'next.config.js': 'module.exports = (phase) => ({ reactStrictMode: true });\n' });
    expect(edit).toMatchObject({ kind: 'manual', reason: expect.stringMatching(/not an object/), snippet: expect.stringContaining('instrumentationHook: true') });
  });

  it('uninstall still takes out the line installs wrote before (`(nextConfig.experimental ??= {})…`)', () => {
    const before = 'const nextConfig = {};\n\nexport default nextConfig;\n';
    const earlier = 'const nextConfig = {};\n\n(nextConfig.experimental ??= {}).instrumentationHook = true; // ez-pixel\nexport default nextConfig;\n';
    expect(removeRequestErrorHooks(earlier, legacy())).toEqual({ kind: 'removed', after: before, count: 1 });
  });
});
