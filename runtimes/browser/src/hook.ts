// spec/hooks.md: what the application's beforeSend may return, and what is sent for each result.
// Whatever the hook does, the report yields exactly one body or none, and a broken hook costs one
// warning per kind of fault, never the error it was given.
import { serialize, type PixelEvent } from './event.js';

export type BeforeSend = (event: PixelEvent) => unknown;

/**
 * The body after the hook: its result, or `unchanged` when the result is unusable; null when
 * dropped. `what` names the step under way, so whichever step throws is the one warned about,
 * in spec/hooks.md's words shortened for size: `beforeSend <what>; sent unchanged`.
 */
export function applyHook(hook: BeforeSend, event: PixelEvent, unchanged: string, warn: (text: string) => void): string | null {
  let what = 'threw';
  try {
    const result = hook(event) as PixelEvent & { then?: unknown };
    if (result == null) return null;
    // Reading `then` may throw: such an object cannot be serialised either.
    what = 'returned what cannot be serialised';
    const kind = Array.isArray(result) ? 'array' : typeof result;
    if (typeof result.then === 'function') {
      what = 'returned a Promise';
      // A rejected Promise must not become the page's unhandled rejection.
      (result as unknown as Promise<unknown>).then(null, () => 0);
    } else if (kind !== 'object') what = 'returned ' + kind;
    // More than 100 levels of nesting; serialize throws on a wrong field type, a cycle, a BigInt, a throwing getter.
    else if (within(result, 99)) return serialize(result);
  } catch (error) {
    if (what === 'threw') what += ` (${(error as Error)?.message ?? error})`;
  }
  warn(`beforeSend ${what}; sent unchanged`);
  return unchanged;
}

/** True when no container is nested more than `levels` below `value`; a throwing getter throws. */
function within(value: unknown, levels: number): boolean {
  return !value || typeof value !== 'object' || (levels >= 0 && Object.values(value).every((child) => within(child, levels - 1)));
}
