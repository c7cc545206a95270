// What was thrown, described for an event, and the exceptions linked to it. Every read is
// guarded: a throwing getter or a revoked Proxy must not break a report.
export interface Described {
  type: string;
  message: string;
  /** Empty when the value has none. */
  stack: string;
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
      stack: error && typeof stack === 'string' ? stack : '',
    };
  } catch (error) {
    return { type: 'Object', message: `unreadable (${text(error)})`, stack: '' };
  }
}

function text(value: unknown): string {
  try {
    return (typeof value === 'object' && !isError(value) && JSON.stringify(value)) || String(value);
  } catch {
    return ({}).toString.call(value);
  }
}

/** `error.cause` as `cause`, AggregateError members as `group`; breadth-first, each once, at most 10. */
export function linked(root: unknown): { relation: Relation; value_: unknown }[] {
  const found: { relation: Relation; value_: unknown }[] = [];
  const seen = new Set([root]);
  const add = (relation: Relation, value: unknown) => {
    if (found.length < 10 && !seen.has(value)) seen.add(value) && found.push({ relation, value_: value });
  };
  try {
    // `found` is also the queue: each link is searched for links in turn, the root first.
    for (let i = -1; i < found.length; i++) {
      const current = (i < 0 ? root : found[i]!.value_) as { cause?: unknown; errors?: unknown } | null;
      if (typeof current !== 'object' || !current) continue;
      if ('cause' in current) add('cause', current.cause);
      if (current instanceof AggregateError && Array.isArray(current.errors)) current.errors.forEach((member) => add('group', member));
    }
  } catch {
    // A throwing getter ends the chain where it is.
  }
  return found;
}
