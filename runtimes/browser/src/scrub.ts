// spec/scrubbing.md, written for size (the Node SDK's scrubber is tuned for speed on the server):
// e-mail addresses in the message, the causes' messages and context, and the values of
// credential-like context keys, become `[scrubbed]`. Checked against spec/scrub-vectors.json.
const SCRUBBED = '[scrubbed]';
const EMAIL = /[\w.%+-]{1,64}@(?:[a-z\d-]{1,63}\.){1,8}[a-z]{2,63}/gi;
/** Without the `u` flag, `i` folds ASCII letters only, as the spec asks (here and in EMAIL). */
const SENSITIVE = /passw(or)?d|secret|token|authorization|cookie|api[-_]?key/i;

export const scrubText = (text: string): string => text.replace(EMAIL, SCRUBBED);

/** `context` is level 1; a container at level 65 or deeper is not walked but replaced. */
export function scrubValue(value: unknown, level: number): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (typeof value !== 'object' || !value) return value;
  if (level > 64) return SCRUBBED;
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, level + 1));
  // No prototype: a `__proto__` key stays data. Two keys that scrub alike: the later value wins, at the earlier place.
  const out = Object.create(null) as Record<string, unknown>;
  for (const [key, item] of Object.entries(value)) out[scrubText(key)] = SENSITIVE.test(key) ? SCRUBBED : scrubValue(item, level + 1);
  return out;
}

export function scrubEvent(event: { message: string; cause?: { message: string }[]; context?: Record<string, unknown> }): void {
  event.message = scrubText(event.message);
  for (const cause of event.cause ?? []) cause.message = scrubText(cause.message);
  if (event.context) event.context = scrubValue(event.context, 1) as Record<string, unknown>;
}
