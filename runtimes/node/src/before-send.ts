// spec/hooks.md: what the application's beforeSend may return, and what is sent for each
// result. Whatever the hook does, the report yields exactly one body or none, and a broken
// hook costs one warning per kind of fault, never the error it was given.
import { debug, warnOnce } from './diagnostics.js';
import type { PixelEvent } from './event-types.js';
import type { PixelOptions } from './public-types.js';

export type BeforeSend = NonNullable<PixelOptions['beforeSend']>;

/** Counting the event itself as level 1, as the spec does, so no runtime's recursion limit decides. */
const MAX_NESTING = 100;
const UNCHANGED = 'sending the event unchanged';

/**
 * The body to send after the hook: the hook's result as `serialize` writes it (which may throw),
 * or `unchanged` (the event serialised before the hook could touch it) when the result is
 * unusable; null when the hook dropped it.
 */
export function applyBeforeSend(hook: BeforeSend, event: PixelEvent, unchanged: string, serialize: (result: PixelEvent) => string): string | null {
  let result: unknown;
  try {
    result = hook(event);
  } catch (error) {
    warnOnce('beforeSend threw', `beforeSend threw (${messageOf(error)}); ${UNCHANGED}`);
    debug('beforeSend threw', error);
    return unchanged;
  }
  if (result === null || result === undefined) return null;
  if (isThenable(result)) {
    warnOnce('beforeSend promise', `beforeSend returned a Promise; promises are not supported (the hook must return the event synchronously); ${UNCHANGED}`);
    return unchanged;
  }
  if (typeof result !== 'object' || Array.isArray(result)) {
    warnOnce(`beforeSend ${kindOf(result)}`, `beforeSend returned ${kindOf(result)}, not an event object or null; ${UNCHANGED}`);
    return unchanged;
  }
  try {
    if (!nestedWithin(result, MAX_NESTING - 1)) throw new Error(`nested more than ${MAX_NESTING} levels deep, or a cycle`);
    return serialize(result as PixelEvent);
  } catch (error) {
    warnOnce('beforeSend unserialisable', `beforeSend returned an event that cannot be serialised (${messageOf(error)}); ${UNCHANGED}`);
    debug('beforeSend returned an event that cannot be serialised', error);
    return unchanged;
  }
}

/** A rejected Promise must not become the app's unhandled rejection: it is observed here. */
function isThenable(value: unknown): boolean {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  try {
    const then = (value as { then?: unknown }).then;
    if (typeof then !== 'function') return false;
    then.call(value, undefined, () => undefined);
    return true;
  } catch {
    return true;
  }
}

/** True when no container is nested more than `levels` below `value`; a getter that throws throws. */
function nestedWithin(value: unknown, levels: number): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (levels < 0) return false;
  for (const child of Object.values(value)) if (!nestedWithin(child, levels - 1)) return false;
  return true;
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function messageOf(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'unprintable error';
  }
}
