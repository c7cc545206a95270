/**
 * Who may read: events carry stack traces and messages. `listen` serves them only to this machine;
 * `serve` only to a holder of the admin token (a bearer header, or the cookie the dashboard's
 * sign-in sets), whatever the address.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isLoopbackAddress, isLoopbackHost } from '../loopback.js';

export type ReadAccess = { kind: 'loopback' } | { kind: 'admin-token'; token: string };

export const adminCookie = 'ez_pixel_admin';

export function mayRead(request: IncomingMessage, access: ReadAccess): boolean {
  if (access.kind === 'loopback') {
    // A loopback Host stops a DNS-rebinding page; a loopback peer stops other machines (which could
    // send any Host) when the ingest listens on a public address.
    return isLoopbackHost(hostnameOf(request.headers.host)) && isLoopbackAddress(request.socket.remoteAddress ?? '');
  }
  const presented = bearerToken(request) ?? cookieValue(request, adminCookie);
  return presented !== undefined && sameSecret(presented, access.token);
}

export function forbiddenMessage(access: ReadAccess): string {
  return access.kind === 'loopback'
    ? 'events are only served to 127.0.0.1 and localhost'
    : 'this needs the admin token (authorization: Bearer <token>)';
}

/** Compares digests, so neither the length nor the content leaks through timing. */
export function sameSecret(presented: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

function bearerToken(request: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

function cookieValue(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key !== name) continue;
    try {
      return decodeURIComponent(rest.join('='));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The name in a Host header, without its port: `[::1]:8765` gives `[::1]`. */
function hostnameOf(header: string | undefined): string {
  return (header ?? '').replace(/:\d*$/, '');
}
