/**
 * The dashboard's files (src/dashboard, copied to dist/dashboard by the build: plain HTML, JS and
 * CSS, nothing to build at run time) and, for `serve`, the sign-in that turns the admin token into
 * an HttpOnly cookie. The files hold no data; the data comes from the guarded /api routes.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { adminCookie, sameSecret, type ReadAccess } from './access.js';
import { send } from './answer.js';
import { readBody } from './body.js';

const dashboardDir = new URL('../dashboard/', import.meta.url);

const files: Record<string, { name: string; type: string }> = {
  '/': { name: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { name: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { name: 'style.css', type: 'text/css; charset=utf-8' },
};

/** The page may load only its own files and talk only to its own origin. */
const pageHeaders = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

export function isDashboardFile(pathname: string): boolean {
  return Object.hasOwn(files, pathname);
}

export async function serveDashboardFile(response: ServerResponse, pathname: string): Promise<void> {
  const file = files[pathname]!;
  const bytes = await readFile(new URL(file.name, dashboardDir));
  response.writeHead(200, { ...pageHeaders, 'content-type': file.type, 'content-length': String(bytes.length) });
  response.end(bytes);
}

/** POST /api/session {"token": …}: sets the admin cookie when the token is right (serve only). */
export async function signIn(request: IncomingMessage, response: ServerResponse, access: ReadAccess): Promise<void> {
  if (access.kind !== 'admin-token') return send(response, 404, { error: 'not_found', message: 'listen needs no sign-in' });
  if (!(request.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
    return send(response, 415, { error: 'unsupported_media_type', message: 'send {"token": …} as application/json' });
  }
  const body = await readBody(request, 4096);
  if (body.kind !== 'body') return send(response, 413, { error: 'too_large', message: 'the body is above 4096 bytes' });
  let token: unknown;
  try {
    token = (JSON.parse(body.bytes.toString('utf8')) as { token?: unknown }).token;
  } catch {
    token = undefined;
  }
  if (typeof token !== 'string' || !sameSecret(token, access.token)) {
    return send(response, 401, { error: 'unauthorized', message: 'that is not the admin token' });
  }
  const cookie = `${adminCookie}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/; Max-Age=2592000`;
  send(response, 204, undefined, { 'set-cookie': cookie });
}
