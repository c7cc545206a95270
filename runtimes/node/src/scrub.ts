// The default scrubber of spec/scrubbing.md: e-mail addresses in messages and context, and the
// values of credential-like keys in context, become `[scrubbed]`. Runs on every event, so the
// common case (no `@`, no sensitive key) costs one indexOf per string.

export const SCRUBBED = '[scrubbed]';
const EMAIL = /[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,63}/g;
/** Without the `u` flag, `i` folds ASCII letters only, as the spec asks. */
const SENSITIVE_KEY = /password|passwd|secret|token|authorization|cookie|api_key|api-key|apikey/i;
const MAX_DEPTH = 64;
const MAX_LOCAL = 64;

/**
 * Exactly `text.replace(EMAIL, SCRUBBED)`, but the pattern runs only from an `@` whose domain side
 * can end in a top-level domain (`.` and two letters): text dense with other `@`s stays cheap.
 * Starting 64 characters before such an `@` loses nothing: a local part holds no `@` and at most
 * 64 characters, and an `@` without that domain side can be in no address.
 */
export function scrubText(text: string): string {
  let at = text.indexOf('@');
  if (at === -1) return text;
  let out = '';
  let copied = 0;
  while (at !== -1) {
    if (!mayEndInDomain(text, at + 1)) {
      at = text.indexOf('@', at + 1);
      continue;
    }
    EMAIL.lastIndex = Math.max(copied, at - MAX_LOCAL);
    const match = EMAIL.exec(text);
    if (!match) break;
    out += text.slice(copied, match.index) + SCRUBBED;
    copied = match.index + match[0].length;
    at = text.indexOf('@', copied);
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Whether the run of domain characters from `start` holds a `.` followed by two letters. */
function mayEndInDomain(text: string, start: number): boolean {
  let letters = -1; // letters since the last '.', or -1 before any '.'
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const isLetter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (c === 46) letters = 0;
    else if (isLetter) {
      if (letters >= 0 && ++letters >= 2) return true;
    } else if ((c >= 48 && c <= 57) || c === 45) letters = -1;
    else return false;
  }
  return false;
}

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY.test(key);
}

/** A scrubbed copy of a JSON object (`context`); the input is not changed. */
export function scrubContext(context: Record<string, unknown>): Record<string, unknown> {
  return scrubObject(context, 1);
}

function scrubValue(value: unknown, level: number): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (level > MAX_DEPTH) return SCRUBBED;
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, level + 1));
  return scrubObject(value as Record<string, unknown>, level);
}

function scrubObject(object: Record<string, unknown>, level: number): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    const cleanKey = scrubText(key);
    const clean = isSensitiveKey(key) ? SCRUBBED : scrubValue(value, level + 1);
    // A `__proto__` key (JSON.parse makes it an own property) must stay data, not a prototype.
    if (cleanKey === '__proto__') Object.defineProperty(result, cleanKey, { value: clean, enumerable: true, writable: true, configurable: true });
    else result[cleanKey] = clean;
  }
  return result;
}

/** Scrubs, in place, the fields of an event the spec names: the message, each cause's message, the context. */
export function scrubEvent(event: { message?: unknown; cause?: { message: string }[]; context?: Record<string, unknown> }): void {
  if (typeof event.message === 'string') event.message = scrubText(event.message);
  for (const cause of event.cause ?? []) cause.message = scrubText(cause.message);
  if (event.context) event.context = scrubContext(event.context);
}
