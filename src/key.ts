/**
 * Project keys and ingest URLs: generating a key, and checking the values a user passes with
 * `--key` and `--ingest-url`. Results are values, so the command decides how to report them.
 */
import { randomBytes } from 'node:crypto';

export const PROJECT_KEY_PATTERN = /^pk_(live|test)_[A-Za-z0-9_-]{1,128}$/;

/** The local `ez-pixel listen` ingest, the default until the user points at production. */
export const DEFAULT_INGEST_URL = 'http://127.0.0.1:8765/ingest';

/** `pk_live_` and 32 lowercase hex digits from the CSPRNG (spec/README.md, "Project keys"). */
export function generateProjectKey(): string {
  return `pk_live_${randomBytes(16).toString('hex')}`;
}

/** The pattern's character class and its `$` (end of input in JS, not before a final newline) refuse whitespace and control characters. */
export function isProjectKey(value: string): boolean {
  return PROJECT_KEY_PATTERN.test(value);
}

/**
 * Values are written verbatim into .env and the init file, so a newline or a tab would add lines
 * there; `new URL()` silently drops them, so they must be refused before parsing.
 */
function hasWhitespaceOrControl(value: string): boolean {
  return /[\s\p{Cc}]/u.test(value);
}

export type IngestUrlCheck =
  | { ok: true; url: string; warning: string | null }
  | { ok: false; reason: string };

/** Where `ez-pixel listen` and `serve` take events; their `/` is the dashboard, which refuses a POST. */
export const INGEST_PATH = '/ingest';

/**
 * A bare origin (`http://127.0.0.1:8765`, what `listen` prints as its dashboard) names no
 * endpoint: events POSTed there are refused with HTTP 405 and lost. Such a URL gets /ingest.
 */
export function withIngestPath(value: string): string {
  const url = new URL(value);
  if (url.pathname !== '/' || url.search || url.hash) return value;
  return `${value.replace(/\/$/, '')}${INGEST_PATH}`;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Accepts http(s) URLs only; plain http to anything but loopback is allowed with a warning. */
export function checkIngestUrl(value: string): IngestUrlCheck {
  if (hasWhitespaceOrControl(value)) {
    return { ok: false, reason: `--ingest-url ${JSON.stringify(value)} contains whitespace or a control character` };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, reason: `--ingest-url "${value}" is not a URL (expected http(s)://host/path)` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, reason: `--ingest-url must use http or https, not ${url.protocol.replace(/:$/, '')}` };
  }
  if (url.username || url.password) {
    return { ok: false, reason: '--ingest-url must not carry credentials; the project key is sent in a header' };
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname) || url.hostname.startsWith('127.');
  const warning =
    url.protocol === 'http:' && !loopback
      ? `${value} is plain http to a host other than this machine: events (stack traces, messages) travel unencrypted`
      : null;
  // Keep the user's spelling: URL normalisation would add a trailing slash to bare hosts.
  return { ok: true, url: value, warning };
}
