/**
 * The one rule for "does this name or address mean this machine?", shared by the ingest (which
 * serves events only to loopback), `ez-pixel listen` (which warns when bound elsewhere) and the
 * checks on ingest URLs.
 */
import { isIP } from 'node:net';

/**
 * True for localhost (also `localhost.`), any 127.0.0.0/8 address and ::1 (bare or bracketed, as
 * in a URL's hostname), in any letter case. Names that merely resolve to loopback do not count:
 * this must not depend on DNS.
 */
export function isLoopbackHost(hostname: string): boolean {
  const name = hostname.toLowerCase();
  if (name === 'localhost' || name === 'localhost.') return true;
  if (isIP(name) === 4) return name.startsWith('127.');
  const bare = name.startsWith('[') && name.endsWith(']') ? name.slice(1, -1) : name;
  // A zone id (fe80::1%eth0) is never loopback, and the URL parser would throw on it.
  if (isIP(bare) !== 6 || bare.includes('%')) return false;
  // The URL parser compresses any spelling of ::1 (0:0:0:0:0:0:0:1, ::0001) to [::1].
  return new URL(`http://[${bare}]/`).hostname === '[::1]';
}

/**
 * True for a socket's loopback peer address, including IPv4 loopback seen through a dual-stack
 * socket as ::ffff:127.x.y.z.
 */
export function isLoopbackAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return isLoopbackHost(mapped ? mapped[1]! : address);
}
