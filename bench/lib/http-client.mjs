// The benchmarks' HTTP client for POSTs: one keep-alive connection per concurrent sender, each
// request's bytes built before the clock starts. node:http's client spends some 80 µs of CPU a
// request, and on a 2-core machine that CPU is taken from the server being measured; this one
// writes prepared bytes and reads the status line and content-length, a fraction of that.
// It speaks just enough HTTP/1.1 for the servers measured here: answers with a content-length,
// and a server that closes the connection after an answer (gunicorn's sync workers) is dialled again.
import { connect } from 'node:net';

/** The bytes of one POST to `url`, ready to write. */
export function postBytes(url, body, headers = {}) {
  const { host, pathname, search } = new URL(url);
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const lines = Object.entries({ host, ...headers, 'content-length': bytes.length }).map(([name, value]) => `${name}: ${value}\r\n`);
  return Buffer.concat([Buffer.from(`POST ${pathname}${search} HTTP/1.1\r\n${lines.join('')}\r\n`), bytes]);
}

const headEnd = Buffer.from('\r\n\r\n');

/** One connection to `url`'s server; send() runs one request at a time and resolves with its status and ms. */
export class Connection {
  #socket = null;
  #pending = null;
  #received = Buffer.alloc(0);

  constructor(url) {
    const { hostname, port } = new URL(url);
    this.hostname = hostname;
    this.port = Number(port) || 80;
  }

  send(requestBytes) {
    if (this.#pending) return Promise.reject(new Error('one request at a time on a Connection'));
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject, started: process.hrtime.bigint() };
      this.#received = Buffer.alloc(0);
      (this.#socket ?? this.#open()).write(requestBytes);
    });
  }

  close() {
    const socket = this.#socket;
    this.#socket = null;
    socket?.destroy();
  }

  #open() {
    const socket = connect({ host: this.hostname, port: this.port, noDelay: true });
    socket.on('data', (chunk) => this.#onData(chunk));
    // Only the current socket's end matters: one closed on purpose has been replaced already.
    const fail = (error) => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      const pending = this.#pending;
      this.#pending = null;
      pending?.reject(error ?? new Error('the server closed the connection before answering'));
    };
    socket.on('error', fail);
    socket.on('close', () => fail());
    return (this.#socket = socket);
  }

  #onData(chunk) {
    this.#received = this.#received.length === 0 ? chunk : Buffer.concat([this.#received, chunk]);
    const end = this.#received.indexOf(headEnd);
    if (end < 0 || !this.#pending) return;
    const head = this.#received.toString('latin1', 0, end);
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (!length) {
      this.#pending.reject(new Error(`an answer without content-length: ${head.split('\r\n')[0]}`));
      this.#pending = null;
      return this.close();
    }
    if (this.#received.length < end + headEnd.length + Number(length[1])) return;
    const { resolve, started } = this.#pending;
    this.#pending = null;
    if (/\r\nconnection:\s*close/i.test(head)) this.close();
    resolve({ status: Number(head.slice(9, 12)), ms: Number(process.hrtime.bigint() - started) / 1e6 });
  }
}
