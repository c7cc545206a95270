/**
 * Where a Nuxt app keeps its code, decided as Nuxt's schema decides it: `srcDir` (plugins/ lives
 * there) is Nuxt 4's `app/` when that folder holds the app, else the root (always the root in
 * Nuxt 3 without `compatibilityVersion: 4`); `serverDir` (server/plugins/) is `server/` at the
 * root in Nuxt 4, `<srcDir>/server` in Nuxt 3. A string literal `srcDir:` or `serverDir:` in
 * nuxt.config wins. Read synchronously: the templates that need it are pure functions.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { packageVersion } from './next-version.js';

export const nuxtConfigs = ['nuxt.config.ts', 'nuxt.config.js', 'nuxt.config.mjs', 'nuxt.config.mts', 'nuxt.config.cjs'];

export interface NuxtDirs {
  /** Relative to the root, '/' separators, '.' for the root itself. */
  srcDir: string;
  serverDir: string;
  /** Why srcDir is what it is, for the evidence. */
  why: string;
}

export function nuxtDirs(root: string): NuxtDirs {
  const config = nuxtConfigs.map((name) => readText(join(root, name))).find((text) => text !== null) ?? '';
  const version = packageVersion(root, 'nuxt');
  const nuxt4 = version === null || version.major >= 4 || /\bcompatibilityVersion\s*:\s*4\b/.test(config);
  const named = (key: string) => {
    const value = new RegExp(`\\b${key}\\s*:\\s*(['"\`])([^'"\`]+)\\1`).exec(config)?.[2];
    return value === undefined ? null : posix.normalize(value.replace(/\/+$/, '')) || '.';
  };
  const configured = named('srcDir');
  const which = version ? `Nuxt ${version.major}.${version.minor}` : 'Nuxt 4';
  const srcDir = configured ?? (nuxt4 && holdsTheApp(root) ? 'app' : '.');
  const why = configured
    ? `nuxt.config sets srcDir: '${configured}'`
    : srcDir === 'app'
      ? `${which} keeps the app in app/`
      : nuxt4
        ? `${which} with no app/ folder holding the app: the root is srcDir`
        : `${which}: the root is srcDir`;
  const serverDir = named('serverDir') ?? (nuxt4 ? 'server' : posix.join(srcDir, 'server'));
  return { srcDir, serverDir, why };
}

/** Nuxt 4's rule: app/ is srcDir unless it is empty (but for these two) and the root has the app's own files. */
function holdsTheApp(root: string): boolean {
  const app = join(root, 'app');
  if (!existsSync(app)) return false;
  const files = listing(app).filter((name) => name !== 'spa-loading-template.html' && !name.startsWith('router.options'));
  if (files.length > 0) return true;
  return !['app.vue', 'App.vue', 'assets', 'layouts', 'middleware', 'pages', 'plugins'].some((name) => existsSync(join(root, name)));
}

function listing(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
