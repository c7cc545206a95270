/**
 * A real page in a real headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core):
 * `startSite(pages)` serves the SDK's built IIFE at /ez-pixel.js and the given pages on 127.0.0.1,
 * on its own port (so the ingest, on another port, is a cross-origin CORS target as in
 * production); `launchChromium()` starts one browser a test file reuses.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';

const pkg = fileURLToPath(new URL('../../', import.meta.url));
export const CHROMIUM = process.env.EZ_PIXEL_CHROMIUM ?? '/usr/bin/chromium';

/** The built IIFE; built here when `npm run build` has not run yet. */
export function sdkScript(): string {
  const file = `${pkg}dist/ez-pixel.iife.js`;
  if (!existsSync(file)) execFileSync(process.execPath, [`${pkg}scripts/build.mjs`], { stdio: 'inherit' });
  return readFileSync(file, 'utf8');
}

export interface Site {
  url: string;
  /** Requests the site answered, by path, in order. */
  hits: string[];
  close(): Promise<void>;
}

/** `pages`: path → [content type, body]; `/ez-pixel.js` is added. */
export async function startSite(pages: Record<string, [string, string]>): Promise<Site> {
  const all: Record<string, [string, string]> = { '/ez-pixel.js': ['text/javascript', sdkScript()], ...pages };
  const hits: string[] = [];
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    hits.push(path);
    const page = all[path];
    if (!page) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': page[0], 'cache-control': 'no-store' }).end(page[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () => new Promise((resolve) => server.closeAllConnections() ?? server.close(() => resolve())),
  };
}

/**
 * `http://insecure.test:<port>` reaches the loopback site too, as a plain-http origin that is
 * not localhost: an insecure context, without crypto.subtle, as many real pages are.
 */
export const INSECURE_HOST = 'insecure.test';

export function launchChromium(): Promise<Browser> {
  // --no-sandbox: the tests may run as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', `--host-resolver-rules=MAP ${INSECURE_HOST} 127.0.0.1`] });
}

/** An HTML page that loads the SDK, inits it with `init` (an object literal) and runs `body`. */
export function page(init: string, body = '', head = ''): [string, string] {
  return ['text/html', `<!doctype html><html><head>${head}<script src="/ez-pixel.js"></script><script>ezPixel.initPixel(${init});</script></head><body>${body}</body></html>`];
}

export async function waitFor<T>(read: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms in vain`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
