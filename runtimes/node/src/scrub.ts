// The default scrubber of spec/scrubbing.md: e-mail addresses in messages and context, and the
// values of credential-like keys in context, become `[scrubbed]`. Runs on every event, so the
// common case (no `@`, no sensitive key) costs one indexOf per string.

export const SCRUBBED = '[scrubbed]';
const EMAIL = /[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,63}/g;
/** Without the `u` flag, `i` folds ASCII letters only, as the spec asks. */
const SENSITIVE_KEY = /password|passwd|secret|token|authorization|cookie|api_key|api-key|apikey/i;
const MAX_DEPTH = 64;

export function scrubText(text: string): string {
  return text.includes('@') ? text.replace(EMAIL, SCRUBBED) : text;
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
