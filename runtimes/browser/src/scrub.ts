// The event's text made safe to send in one walk: the context copied as JSON data (cycles and
// repeats become "[cycle]", BigInts strings, toJSON applied) and, unless `scrub: false`,
// spec/scrubbing.md written for size (the Node SDK's scrubber is tuned for speed on the server):
// e-mail addresses in the message, the causes' messages and context, and the values of
// credential-like context keys, become `[scrubbed]`. Checked against spec/scrub-vectors.json.
const SCRUBBED = '[scrubbed]';
const EMAIL = /[\w.%+-]{1,64}@(?:[a-z\d-]{1,63}\.){1,8}[a-z]{2,63}/gi;
/** Without the `u` flag, `i` folds ASCII letters only, as the spec asks (here and in EMAIL). */
const SENSITIVE = /passw(or)?d|secret|token|authorization|cookie|api[-_]?key/i;

export function cleanEvent(event: { message: string; cause?: { message: string }[]; context?: unknown }, scrub: boolean): void {
  const seen = new WeakSet();
  const text = (value: string) => (scrub ? value.replace(EMAIL, SCRUBBED) : value);
  /** `context` is level 1; when scrubbing, a container at level 65 or deeper is not walked but replaced. */
  const walk = (value: unknown, level: number): unknown => {
    if (typeof value === 'bigint') return String(value);
    if (typeof value === 'string') return text(value);
    if (!value || typeof value !== 'object') return value;
    // A Date, and whatever else says how it is written as JSON.
    if (typeof (value as Date).toJSON === 'function') return walk((value as Date).toJSON(), level);
    if (seen.has(value)) return '[cycle]';
    seen.add(value);
    if (scrub && level > 64) return SCRUBBED;
    if (Array.isArray(value)) return value.map((item) => walk(item, level + 1));
    // fromEntries defines each key: a `__proto__` key stays data. Two keys that scrub alike: the later value wins, at the earlier place.
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [text(key), scrub && SENSITIVE.test(key) ? SCRUBBED : walk(item, level + 1)]));
  };
  event.message = text(event.message);
  event.cause?.forEach((cause) => (cause.message = text(cause.message)));
  event.context = walk(event.context, 1);
}
