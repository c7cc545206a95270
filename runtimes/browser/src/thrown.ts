// What was thrown, described for an event, and the exceptions linked to it. Every read is
// guarded: a throwing getter or a revoked Proxy must not break a report.
export interface Described {
  type: string;
  message: string;
  stack: string | null;
}

export type Relation = 'cause' | 'group';

export function isError(value: unknown): value is Error {
  try {
    return value instanceof Error || Object.prototype.toString.call(value) === '[object Error]';
  } catch {
    return false;
  }
}

/** Thrown primitives are named like their wrapper classes (`String`), `null` and `undefined` as themselves. */
export function describe(value: unknown): Described {
  try {
    if (isError(value)) {
      const { name, message, stack } = value;
      const ctor = value.constructor?.name;
      return { type: String((name === 'Error' && ctor) || name || 'Error'), message: String(message), stack: typeof stack === 'string' ? stack : null };
    }
    const kind = typeof value;
    if (value == null) return { type: String(value), message: String(value), stack: null };
    if (kind === 'string') return { type: 'String', message: value as string, stack: null };
    const message = kind === 'object' ? (value as { message?: unknown }).message : undefined;
    return {
      type: kind === 'object' ? Object.getPrototypeOf(value)?.constructor?.name || 'Object' : kind[0]!.toUpperCase() + kind.slice(1),
      message: typeof message === 'string' ? message : text(value),
      stack: null,
    };
  } catch (error) {
    return { type: 'Object', message: `unreadable (${text(error)})`, stack: null };
  }
}

function text(value: unknown): string {
  try {
    return (typeof value === 'object' && !isError(value) && JSON.stringify(value)) || String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** `error.cause` as `cause`, AggregateError members as `group`; breadth-first, each once, at most 10. */
export function linked(root: unknown): { relation: Relation; value: unknown }[] {
  const found: { relation: Relation; value: unknown }[] = [];
  const seen = new Set([root]);
  const queue = [root];
  try {
    while (queue.length && found.length < 10) {
      const current = queue.shift() as { cause?: unknown; errors?: unknown };
      if (typeof current !== 'object' || current === null) continue;
      const links: [Relation, unknown][] = 'cause' in current ? [['cause', current.cause]] : [];
      if (current instanceof AggregateError && Array.isArray(current.errors)) for (const member of current.errors) links.push(['group', member]);
      for (const [relation, value] of links) {
        if (found.length === 10 || seen.has(value)) continue;
        seen.add(value);
        found.push({ relation, value });
        queue.push(value);
      }
    }
  } catch {
    // A throwing getter ends the chain where it is.
  }
  return found;
}
