// What was thrown, described for an event, and the exceptions linked to it. Every read is
// guarded: a throwing getter or a revoked Proxy must not break a report.
import { parseStack, type Frame } from './stack.js';

export interface Described {
  type: string;
  message: string;
  /** Empty when the value has none. */
  stack: Frame[];
}

export type Relation = 'cause' | 'group';

/** Callers read it inside their own try: `instanceof` and `toString` throw on a revoked Proxy. */
export const isError = (value: unknown): value is Error => value instanceof Error || ({}).toString.call(value) === '[object Error]';

/** Thrown primitives are named like their wrapper classes (`String`), `null` and `undefined` as themselves. */
export function describe(value: unknown): Described {
  try {
    const { name, message, stack, constructor } = Object(value) as Error;
    const ctor = constructor?.name;
    const error = isError(value);
    return {
      // `null` and `undefined` box to a plain object, and are named as themselves.
      type: String(error ? (name === 'Error' && ctor) || name || 'Error' : value == null ? value : ctor || 'Object'),
      message: error ? String(message) : typeof message === 'string' ? message : text(value),
      // Read as text: `undefined` and other non-strings give no frames.
      stack: parseStack(error ? String(stack) : ''),
    };
  } catch (error) {
    // Described as a plain object carrying the fault: type Object, no frames.
    return describe({ message: `unreadable (${text(error)})` });
  }
}

function text(value: unknown): string {
  try {
    return (typeof value === 'object' && !isError(value) && JSON.stringify(value)) || String(value);
  } catch {
    return ({}).toString.call(value);
  }
}

/**
 * `error.cause` as `cause`, AggregateError members as `group`, each described as `describeValue`
 * does; breadth-first, each once, at most 10.
 */
export function linked<T>(root: unknown, describeValue: (value: unknown) => T): ({ relation: Relation } & T)[] {
  const found: ({ relation: Relation } & T)[] = [];
  // Also the queue: each value is searched for links in turn, the root first (for…of reaches what is pushed meanwhile).
  const values = [root];
  const add = (relation: Relation, value: unknown) => {
    if (values.length < 11 && !values.includes(value)) values.push(value) && found.push({ relation, ...describeValue(value) });
  };
  try {
    // Object(): a primitive has no links, and `in` would throw on it. An AggregateError whose
    // `errors` is no longer an array throws here too.
    for (const value of values) {
      const current = Object(value);
      if ('cause' in current) add('cause', current.cause);
      if (current instanceof AggregateError) current.errors.forEach((member) => add('group', member));
    }
  } catch {
    // A throwing getter ends the chain where it is.
  }
  return found;
}
