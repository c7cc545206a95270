// A synchronous POST for a process about to die, when the ingest is plain http on a loopback
// address (what `ez-pixel listen` serves): it needs no worker thread, whose boot (~30 ms of CPU)
// was most of what a crash added to the exit.
//
// A dying process's event loop never turns again, and Node has no public synchronous socket.
// But the TCP handle of Node's own binding (the one net.Socket wraps) is, on POSIX, a
// non-blocking file descriptor: a connect() to a loopback address completes within the call,
// and fs.writeSync / fs.readSync drive the descriptor without the loop, sleeping on Atomics.wait
// while the ingest answers. Where that handle is not to be had (Windows has no descriptor; a
// future Node may drop process.binding; under --pending-deprecation it is wrapped to warn), this
// returns null and the caller uses the worker.
import { readSync, writeSync } from 'node:fs';
import { USER_AGENT } from './version.js';

/** POSTs one body; the HTTP status, or 0 when there was no answer within `timeoutMs`. */
export type SyncPost = (body: string, timeoutMs: number) => number;

interface TcpHandle {
  readonly fd: number;
  connect(request: object, address: string, port: number): number;
  connect6(request: object, address: string, port: number): number;
  unref(): void;
  close(): void;
}
interface TcpBinding {
  TCP: new (type: number) => TcpHandle;
  TCPConnectWrap: new () => { oncomplete?: () => void };
  constants: { SOCKET: number };
}

const HEADER_VALUE = /^[\t\x20-\x7e]*$/;
const STATUS_LINE = /^HTTP\/1\.[01] (\d{3})/;
/** Would block: no room to write yet, no answer to read yet, or the connect still completing. */
const NOT_YET = new Set(['EAGAIN', 'EWOULDBLOCK', 'ENOTCONN']);
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks this thread (its event loop is done with anyway). */
export function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** The synchronous sender for `url`, or null when it is not a plain-http loopback URL or the handle is missing. */
export function loopbackPoster(url: string, projectKey: string): SyncPost | null {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return null;
  }
  const family = /^127(\.\d{1,3}){3}$/.test(target.hostname) ? 4 : target.hostname === '[::1]' ? 6 : 0;
  // A key Node's http would refuse as a header value keeps to the worker, which reports it as before.
  if (target.protocol !== 'http:' || family === 0 || !HEADER_VALUE.test(projectKey) || process.platform === 'win32') return null;
  const tcp = tcpBinding();
  if (!tcp) return null;
  const address = family === 6 ? '::1' : target.hostname;
  const port = Number(target.port || 80);
  const head = `POST ${target.pathname}${target.search} HTTP/1.1\r\nhost: ${target.host}\r\ncontent-type: application/json\r\nx-pixel-key: ${projectKey}\r\nuser-agent: ${USER_AGENT}\r\nconnection: close\r\n`;
  return (body, timeoutMs) => {
    const payload = Buffer.from(body, 'utf8');
    const request = Buffer.concat([Buffer.from(`${head}content-length: ${payload.length}\r\n\r\n`, 'latin1'), payload]);
    return exchange(tcp, (handle, connector) => (family === 6 ? handle.connect6(connector, address, port) : handle.connect(connector, address, port)), request, Date.now() + timeoutMs);
  };
}

function tcpBinding(): TcpBinding | null {
  const binding = (process as unknown as { binding?: ((name: string) => unknown) & { name: string } }).binding;
  // Node wraps it in a function named `deprecated` that warns (DEP0111) under --pending-deprecation.
  if (typeof binding !== 'function' || binding.name !== 'binding') return null;
  try {
    const tcp = binding('tcp_wrap') as Partial<TcpBinding> | undefined;
    return typeof tcp?.TCP === 'function' && typeof tcp.TCPConnectWrap === 'function' && typeof tcp.constants?.SOCKET === 'number' ? (tcp as TcpBinding) : null;
  } catch {
    return null;
  }
}

/** Connects, writes the request, reads up to the end of the response's headers; 0 on any failure or at the deadline. */
function exchange(tcp: TcpBinding, connect: (handle: TcpHandle, connector: object) => number, request: Buffer, deadline: number): number {
  let handle: TcpHandle | null = null;
  try {
    handle = new tcp.TCP(tcp.constants.SOCKET);
    handle.unref();
    const connector = new tcp.TCPConnectWrap();
    connector.oncomplete = () => undefined; // only if the loop ever turned again
    if (connect(handle, connector) !== 0 || handle.fd < 0) return 0;
    const fd = handle.fd;
    const wait = backoff(deadline);
    for (let sent = 0; sent < request.length; ) {
      const written = unlessBlocked(() => writeSync(fd, request, sent));
      if (written === null) {
        if (!wait()) return 0;
      } else sent += written;
    }
    const chunk = Buffer.allocUnsafe(4096);
    let answer = '';
    while (!answer.includes('\r\n\r\n') && answer.length < 16_384) {
      const read = unlessBlocked(() => readSync(fd, chunk));
      if (read === 0) break; // the ingest closed the connection
      if (read === null) {
        if (!wait()) return 0;
      } else answer += chunk.toString('latin1', 0, read);
    }
    return Number(STATUS_LINE.exec(answer)?.[1] ?? 0);
  } catch {
    return 0;
  } finally {
    handle?.close();
  }
}

/** The call's result, or null when the descriptor would block; any other error throws. */
function unlessBlocked(call: () => number): number | null {
  try {
    return call();
  } catch (error) {
    if (NOT_YET.has(String((error as NodeJS.ErrnoException).code))) return null;
    throw error;
  }
}

/** Sleeps 0.1 ms, then twice as long each time up to 2 ms; false once the deadline has passed. */
function backoff(deadline: number): () => boolean {
  let pause = 0.1;
  return () => {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    sleepSync(Math.min(pause, left));
    pause = Math.min(2, pause * 2);
    return true;
  };
}
