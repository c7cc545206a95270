/// <reference path="./event-validator.d.ts" />
/**
 * Validates a parsed body against spec/event.schema.json, with the validator Ajv generated from the
 * schema at build time (scripts/event-validator.mjs): nothing is compiled when the ingest starts.
 */
import type { ErrorObject } from 'ajv';
import { validate } from 'ez-pixel:event-validator';
import type { IngestEvent } from './event.js';

export type Validation =
  | { ok: true; event: IngestEvent }
  | { ok: false; field: string; message: string };

export type EventValidator = (value: unknown) => Validation;

export const validateEvent: EventValidator = (value) => {
  const tooDeep = deeperThan(value, maxDepth);
  if (tooDeep !== undefined) return { ok: false, field: tooDeep, message: `nests deeper than ${maxDepth} levels` };
  if (validate(value)) return { ok: true, event: value as IngestEvent };
  const error = mostSpecific(validate.errors ?? []);
  return error ? { ok: false, field: fieldOf(error), message: messageOf(error) } : { ok: false, field: '', message: 'is invalid' };
};

/**
 * Nesting is capped: a value nested thousands deep passes the schema (context is free-form) but
 * cannot be encoded again (JSON.stringify overflows the stack), so it could never be stored.
 */
export const maxDepth = 64;

/** The field (as `context.a.b`) of the first value nested deeper than `limit`, found without recursion. */
function deeperThan(value: unknown, limit: number): string | undefined {
  // Each entry keeps its parent and key: the field's name is built only for the one that fails.
  interface Entry {
    value: unknown;
    depth: number;
    parent?: Entry;
    key?: string;
  }
  const stack: Entry[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    const current = entry.value;
    if (typeof current !== 'object' || current === null) continue;
    if (entry.depth >= limit) return fieldName(entry);
    for (const key in current) {
      if (Object.hasOwn(current, key)) stack.push({ value: (current as Record<string, unknown>)[key], depth: entry.depth + 1, parent: entry, key });
    }
  }
  return undefined;
}

function fieldName(entry: { value: unknown; parent?: { value: unknown }; key?: string }): string {
  const path: typeof entry[] = [];
  for (let at: typeof entry | undefined = entry; at?.parent; at = at.parent) path.unshift(at);
  return path.reduce(
    (field, at) => (Array.isArray(at.parent!.value) ? `${field}[${at.key}]` : field ? `${field}.${at.key}` : at.key!),
    '',
  );
}

/** Ajv words a missing or unknown field from the parent's side; say it about the field itself. */
function messageOf(error: ErrorObject): string {
  if (error.keyword === 'required') return 'is required';
  if (error.keyword === 'additionalProperties') return 'is not a field of the event format';
  return error.message ?? 'is invalid';
}

/**
 * Ajv reports every branch of a `oneOf`; the error deepest in the event names the field a developer
 * has to fix (`code_context.lines[0]` rather than `code_context`).
 */
function mostSpecific(errors: ErrorObject[]): ErrorObject | undefined {
  let best: ErrorObject | undefined;
  for (const error of errors) {
    if (!best || pathOf(error).length > pathOf(best).length) best = error;
  }
  return best;
}

/** The instance path as segments, plus the property a `required`/`additionalProperties` error names. */
function pathOf(error: ErrorObject): string[] {
  const segments = error.instancePath === '' ? [] : error.instancePath.slice(1).split('/').map(unescapePointer);
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  const named = params.missingProperty ?? params.additionalProperty;
  return named === undefined ? segments : [...segments, named];
}

/** `stack/0/in_app` → `stack[0].in_app`; the whole event (a body that is not an object) → ``. */
function fieldOf(error: ErrorObject): string {
  return pathOf(error).reduce(
    (field, segment) => (/^\d+$/.test(segment) ? `${field}[${segment}]` : field ? `${field}.${segment}` : segment),
    '',
  );
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}
