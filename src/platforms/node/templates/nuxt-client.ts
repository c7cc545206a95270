/**
 * Nuxt's browser side: a plugin of ours in srcDir's plugins/, `.client` so Nuxt runs it only in
 * the page (the Node SDK never reaches the client bundle). Vue and Nuxt catch the errors of
 * components and event handlers themselves, so those never reach window.onerror: the plugin
 * reports them from Nuxt's vue:error and app:error hooks.
 */
import { posix } from 'node:path';
import type { Project } from '../../../project.js';
import type { InitSettings } from '../../../templates/index.js';
import { stringLiteral } from '../../../templates/settings.js';
import { nuxtDirs } from '../detect/nuxt-dirs.js';
import { generatedHeader } from './node.js';

export function nuxtClientPlugin(project: Project): string {
  return posix.join(nuxtDirs(project.root).srcDir, 'plugins', `ez-pixel.client.${project.typescript ? 'ts' : 'js'}`);
}

export function nuxtClientPluginSource(settings: InitSettings): string {
  return [
    generatedHeader,
    '// It starts error tracking in the page. Vue and Nuxt catch the errors of components and event',
    '// handlers themselves, so those never reach window.onerror: this plugin reports them from their hooks.',
    "import { initPixel, reportPixel } from '@ez-pixel/browser';",
    '',
    '// runtimeConfig.public.ezPixelProjectKey and ezPixelIngestUrl override these once nuxt.config declares',
    '// them (then NUXT_PUBLIC_EZ_PIXEL_PROJECT_KEY and NUXT_PUBLIC_EZ_PIXEL_INGEST_URL set them at run time).',
    `const fallbackProjectKey = ${stringLiteral(settings.projectKey)};`,
    `const fallbackIngestUrl = ${stringLiteral(settings.ingestUrl)};`,
    '',
    'export default defineNuxtPlugin((nuxtApp) => {',
    '  const config = useRuntimeConfig().public;',
    '  initPixel({',
    '    projectKey: config.ezPixelProjectKey || fallbackProjectKey,',
    '    ingestUrl: config.ezPixelIngestUrl || fallbackIngestUrl,',
    '  });',
    "  nuxtApp.hook('vue:error', (error, _instance, info) => {",
    "    reportPixel('Vue error', { error, context: { nuxt: { hook: 'vue:error', info } } });",
    '  });',
    "  nuxtApp.hook('app:error', (error) => {",
    "    reportPixel('Nuxt app error', { error, context: { nuxt: { hook: 'app:error' } } });",
    '  });',
    '});',
    '',
  ].join('\n');
}
