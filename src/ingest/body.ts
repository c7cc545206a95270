/**
 * Reads a request body with a size cap. The outcome is a value, never a throw: a client that sends
 * too much, disconnects or stalls must not take the server down.
 */
import type { IncomingMessage } from 'node:http';

/** The ingest refuses bodies above 256 KiB (spec/README.md, "Size"). */
export const maxBodyBytes = 256 * 1024;

export type BodyResult =
  | { kind: 'body'; bytes: Buffer }
  | { kind: 'too-large' }
  /** The client went away (or broke the framing) before the body ended; there is nobody to answer. */
  | { kind: 'aborted' };

export function readBody(request: IncomingMessage, limit = maxBodyBytes): Promise<BodyResult> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ kind: 'too-large' });

  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const finish = (result: BodyResult) => {
      request.off('data', onData).off('end', onEnd).off('error', onAbort).off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) finish({ kind: 'too-large' });
      else chunks.push(chunk);
    };
    const onEnd = () => finish({ kind: 'body', bytes: Buffer.concat(chunks, received) });
    const onAbort = () => finish({ kind: 'aborted' });
    // 'close' before 'end' means the connection dropped mid-body.
    const onClose = () => {
      if (!request.complete) onAbort();
    };
    request.on('data', onData).on('end', onEnd).on('error', onAbort).on('close', onClose);
  });
}

/**
 * `application/json`, or `text/plain` (what `navigator.sendBeacon` sends a string as, since a
 * beacon cannot set its type without a preflight), optionally with a UTF-8 charset.
 */
export function isIngestContentType(header: string | undefined): boolean {
  if (!header) return false;
  const [mediaType, ...parameters] = header.split(';').map((part) => part.trim().toLowerCase());
  if (mediaType !== 'application/json' && mediaType !== 'text/plain') return false;
  return parameters.every((parameter) => !parameter.startsWith('charset=') || /^charset="?utf-8"?$/.test(parameter));
}
