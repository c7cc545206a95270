/**
 * A browser app (Vite, Create React App, Vue CLI, Angular, Parcel, or a plain index.html) runs in
 * the browser, where the Node SDK cannot: it is never wired with it. Until browser support lands,
 * detection leaves it out and says why. A package that also runs a server of its own (express,
 * next, a start script that runs node on a file…) is not only a browser app and stays a candidate;
 * a static file server (http-server, serve) is no server of the app's own.
 */
import { asObject } from '../../detectors/project-files.js';
import type { ProjectFiles } from '../../detectors/project-files.js';
import { scriptRun } from '../node/detect/start-scripts.js';

const browserTools = ['vite', 'react-scripts', '@vue/cli-service', '@angular/core', 'parcel', '@vitejs/plugin-react', '@vitejs/plugin-vue', 'webpack-dev-server'];
const serverPackages = [
  'express', 'fastify', 'koa', 'hono', '@hono/node-server', '@nestjs/core', 'next', '@remix-run/node', '@remix-run/serve', '@react-router/serve',
  'nuxt', '@sveltejs/kit', 'astro', '@trpc/server', 'socket.io', 'ws',
];
/** Servers of static files: a package.json whose only server is one of these serves a static site. */
const staticServers = ['http-server', 'serve', 'live-server', 'lite-server', 'browser-sync'];

/** The bundler or front-end tool package.json depends on (vite, react-scripts…), or null: a site without one is plain files. */
export async function browserTool(files: ProjectFiles): Promise<string | null> {
  const pkg = await files.json('package.json');
  const names = new Set(['dependencies', 'devDependencies'].flatMap((field) => Object.keys(asObject(pkg?.[field]) ?? {})));
  return browserTools.find((name) => names.has(name)) ?? null;
}

/** Why the package at `files.root` is a browser app ("package.json depends on vite and on no server"), or null. */
export async function browserAppReason(files: ProjectFiles): Promise<string | null> {
  const pkg = await files.json('package.json');
  if (!pkg) return null;
  const names = new Set(['dependencies', 'devDependencies'].flatMap((field) => Object.keys(asObject(pkg[field]) ?? {})));
  if (serverPackages.some((name) => names.has(name)) || scriptRun(pkg, 'start') || pkg.bin !== undefined) return null;
  const tool = await browserTool(files);
  if (tool) return `package.json depends on ${tool} and on no server framework`;
  const served = staticServers.find((name) => names.has(name));
  if (pkg.main === undefined && (await files.isFile('index.html'))) return `it is an index.html page with no server of its own${served ? ` (${served} serves its files)` : ''}`;
  return null;
}
