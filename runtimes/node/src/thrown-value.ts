// What was thrown, described for an event. Errors give their class, message and stack; other
// values (a string, a plain object, null) get a type named after what they are and a readable
// message. Every property read is guarded: a throwing getter or a Proxy must not break a report.
import { types } from 'node:util';

export interface DescribedValue {
  type: string;
  message: string;
  /** V8's stack text, or null for values that carry none. */
  stack: string | null;
}

export type Relation = 'cause' | 'context' | 'group';

/** Thrown primitives are named like their wrapper classes. */
const PRIMITIVE_TYPES: Record<string, string> = { number: 'Number', boolean: 'Boolean', bigint: 'BigInt', symbol: 'Symbol', function: 'Function' };

/** A Proxy whose getPrototypeOf trap throws (or a revoked one) makes even `instanceof` throw. */
export function isErrorLike(value: unknown): value is Error {
  try {
    return value instanceof Error || types.isNativeError(value);
  } catch {
    return false;
  }
}

/** Never throws: a value that cannot be read at all (a revoked Proxy) is still described. */
export function describeThrown(value: unknown): DescribedValue {
  try {
    return describeReadable(value);
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'unreadable';
    return { type: types.isProxy(value) ? 'Proxy' : 'Object', message: `a thrown value the SDK could not read (${reason.slice(0, 512)})`, stack: null };
  }
}

function describeReadable(value: unknown): DescribedValue {
  if (isErrorLike(value)) {
    const message = read(value, 'message');
    const stack = read(value, 'stack');
    return { type: errorType(value), message: typeof message === 'string' ? message : safeText(message), stack: typeof stack === 'string' ? stack : null };
  }
  if (value === null) return { type: 'null', message: 'null', stack: null };
  switch (typeof value) {
    case 'string':
      return { type: 'String', message: value, stack: null };
    case 'object': {
      const message = read(value, 'message');
      return { type: constructorName(value) ?? 'Object', message: typeof message === 'string' ? message : safeText(value), stack: null };
    }
    case 'undefined':
      return { type: 'undefined', message: 'undefined', stack: null };
    default:
      return { type: PRIMITIVE_TYPES[typeof value] ?? 'Value', message: safeText(value), stack: null };
  }
}

/**
 * The exceptions linked to `root`, breadth-first, each object at most once (so cycles end), at
 * most `max`: `error.cause` as `cause`, the members of an AggregateError as `group`.
 */
export function linkedExceptions(root: unknown, max = 10): { relation: Relation; value: unknown }[] {
  const found: { relation: Relation; value: unknown }[] = [];
  const seen = new Set<unknown>([root]);
  const queue: unknown[] = [root];
  while (queue.length > 0 && found.length < max) {
    const current = queue.shift();
    if (current === null || typeof current !== 'object') continue;
    const links: { relation: Relation; value: unknown }[] = [];
    if (hasOwn(current, 'cause')) links.push({ relation: 'cause', value: read(current, 'cause') });
    const members = isAggregate(current) ? read(current, 'errors') : undefined;
    if (Array.isArray(members)) for (const member of members.slice(0, max)) links.push({ relation: 'group', value: member });
    for (const link of links) {
      if (found.length >= max) break;
      if (typeof link.value === 'object' && link.value !== null) {
        if (seen.has(link.value)) continue;
        seen.add(link.value);
      }
      found.push(link);
      queue.push(link.value);
    }
  }
  return found;
}

function isAggregate(value: object): boolean {
  try {
    return value instanceof AggregateError;
  } catch {
    return false;
  }
}

function errorType(error: Error): string {
  const name = read(error, 'name');
  if (typeof name === 'string' && name !== '' && name !== 'Error') return name.slice(0, 512);
  return constructorName(error) ?? 'Error';
}

function constructorName(value: object): string | null {
  try {
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
    return typeof name === 'string' && name !== '' ? name.slice(0, 512) : null;
  } catch {
    return null;
  }
}

function hasOwn(value: object, key: string): boolean {
  try {
    return Object.prototype.hasOwnProperty.call(value, key);
  } catch {
    return false;
  }
}

function read(value: object, key: string): unknown {
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** A bounded, side-effect-free rendering: JSON for plain data, else String(). */
function safeText(value: unknown): string {
  try {
    if (typeof value === 'object' && value !== null) {
      const json = JSON.stringify(value, boundedReplacer());
      if (typeof json === 'string') return json.slice(0, 8192);
    }
    return String(value).slice(0, 8192);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function boundedReplacer(): (key: string, value: unknown) => unknown {
  const seen = new WeakSet<object>();
  return (_key, value) => {
    if (typeof value === 'bigint') return `${value}n`;
    if (typeof value === 'object' && value !== null) {
      if (seen.has(value)) return '[Circular]';
      seen.add(value);
    }
    return value;
  };
}
