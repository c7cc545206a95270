/** Writing answers: a JSON body with its length, or a JSON array streamed page by page. */
import type { ServerResponse } from 'node:http';

export type Headers = Record<string, string>;

export function send(response: ServerResponse, status: number, body?: object, headers: Headers = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    ...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
    'content-length': String(Buffer.byteLength(text)),
  });
  response.end(text);
}

const comma = Buffer.from(',');

/**
 * Streams `{"<name>":[…]}` from pages of stored JSON (UTF-8 bytes, written as they are), never
 * holding more than a page and waiting for the client to drain each one, so a large read cannot
 * stall the event loop or the ingest's memory.
 */
export async function streamJsonArray(
  response: ServerResponse,
  name: string,
  pages: AsyncIterable<Buffer[]>,
  /** Fields written after the array, once it is complete (a cursor for the next page). */
  trailer: () => Record<string, unknown> = () => ({}),
): Promise<void> {
  const iterator = pages[Symbol.asyncIterator]();
  // The first page is read before the head is sent: a read that fails at once is answered with a
  // status (the caller's 500), not with a cut stream.
  let next = await iterator.next();
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  let first = true;
  response.write(`{${JSON.stringify(name)}:[`);
  for (; !next.done; next = await iterator.next()) {
    const page = next.value;
    if (response.destroyed) {
      await iterator.return?.();
      return;
    }
    if (page.length === 0) continue;
    // One buffer per page (each write of a chunked answer costs its own framing), and the comma
    // before it in the same writev.
    response.cork();
    if (!first) response.write(comma);
    first = false;
    const flowing = response.write(joinedWithCommas(page));
    response.uncork();
    if (!flowing) await drained(response);
  }
  const fields = Object.entries(trailer()).map(([key, value]) => `,${JSON.stringify(key)}:${JSON.stringify(value)}`);
  response.end(`]${fields.join('')}}`);
}

/**
 * The items with a comma between each two, as one buffer. Items that already lie so in one buffer
 * (the SQLite store's pages, sqlite-worker.mjs) are returned as a view of it: a large read's pages
 * are neither copied nor allocated again on the ingest's thread.
 */
export function joinedWithCommas(items: Buffer[]): Buffer {
  const first = items[0]!;
  const whole = new Uint8Array(first.buffer);
  let end = first.byteOffset + first.length;
  for (const item of items.slice(1)) {
    const laidOut = item.buffer === first.buffer && item.byteOffset === end + 1 && whole[end] === comma[0];
    if (!laidOut) return Buffer.concat(items.flatMap((part, i) => (i === 0 ? [part] : [comma, part])));
    end = item.byteOffset + item.length;
  }
  return Buffer.from(first.buffer, first.byteOffset, end - first.byteOffset);
}

function drained(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done).off('close', done);
      resolve();
    };
    response.on('drain', done).on('close', done);
  });
}
