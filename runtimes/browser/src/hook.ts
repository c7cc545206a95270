// spec/hooks.md: what the application's beforeSend may return, and what is sent for each result.
// Whatever the hook does, the report yields exactly one body or none, and a broken hook costs one
// warning per kind of fault, never the error it was given.
import { serialize, type PixelEvent } from './event.js';

export type BeforeSend = (event: PixelEvent) => unknown;

/** spec/hooks.md's warnings, shortened for size: `beforeSend <what>; sent unchanged`. */
const fault = (warn: (text: string) => void, what: string) => warn(`beforeSend ${what}; sent unchanged`);

/** The body after the hook: its result, or `unchanged` when the result is unusable; null when dropped. */
export function applyHook(hook: BeforeSend, event: PixelEvent, unchanged: string, warn: (text: string) => void): string | null {
  let result: unknown;
  try {
    result = hook(event);
  } catch (error) {
    fault(warn, `threw (${(error as Error)?.message ?? error})`);
    return unchanged;
  }
  if (result == null) return null;
  try {
    const then = (result as { then?: unknown }).then;
    if (typeof then === 'function') {
      // A rejected Promise must not become the page's unhandled rejection.
      then.call(result, null, () => 0);
      fault(warn, 'returned a Promise');
      return unchanged;
    }
  } catch {
    // Reading `then` threw: the object cannot be serialised either, as below.
  }
  if (typeof result !== 'object' || Array.isArray(result)) {
    fault(warn, `returned ${Array.isArray(result) ? 'array' : typeof result}`);
    return unchanged;
  }
  try {
    const e = result as PixelEvent;
    if (typeof e.type + typeof e.message !== 'stringstring' || !Array.isArray(e.stack) || (e.cause && !Array.isArray(e.cause)) || !within(result, 99)) throw 0;
    return serialize(e);
  } catch {
    // A wrong field type, more than 100 levels of nesting, a cycle, a BigInt, a throwing getter.
    fault(warn, 'returned what cannot be serialised');
    return unchanged;
  }
}

/** True when no container is nested more than `levels` below `value`; a throwing getter throws. */
function within(value: unknown, levels: number): boolean {
  if (typeof value !== 'object' || value === null) return true;
  return levels >= 0 && Object.values(value).every((child) => within(child, levels - 1));
}
