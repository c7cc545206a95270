// The spec folder checks itself: the schema accepts every valid example and rejects every invalid
// one, and the fingerprint vectors hash their own keys.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020Module from 'ajv/dist/2020.js';

// ajv is CommonJS: the class is both the module and its `default`.
const Ajv2020 = Ajv2020Module.default;
import { describe, expect, it } from 'vitest';

const spec = fileURLToPath(new URL('../spec/', import.meta.url));
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
const examples = (kind: 'valid' | 'invalid') =>
  readdirSync(join(spec, 'events', kind))
    .filter((name) => name.endsWith('.json'))
    .sort();

const validate = new Ajv2020({ strict: true, allErrors: true }).compile(readJson(join(spec, 'event.schema.json')) as object);

describe('spec/event.schema.json', () => {
  it('has examples of both kinds', () => {
    expect(examples('valid').length).toBeGreaterThanOrEqual(4);
    expect(examples('invalid').length).toBeGreaterThanOrEqual(15);
  });

  it.each(examples('valid'))('accepts valid/%s', (name) => {
    const ok = validate(readJson(join(spec, 'events', 'valid', name)));
    expect(validate.errors ?? [], name).toEqual([]);
    expect(ok).toBe(true);
  });

  it.each(examples('invalid'))('rejects invalid/%s', (name) => {
    expect(validate(readJson(join(spec, 'events', 'invalid', name)))).toBe(false);
    expect(validate.errors?.length).toBeGreaterThan(0);
  });
});

describe('spec/fingerprint-vectors.json', () => {
  const { vectors } = readJson(join(spec, 'fingerprint-vectors.json')) as {
    vectors: { name: string; input: unknown; key: string; fingerprint: string }[];
  };

  it('holds at least 20 vectors with distinct names', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(20);
    expect(new Set(vectors.map((vector) => vector.name)).size).toBe(vectors.length);
  });

  it.each(vectors.map((vector) => [vector.name, vector] as const))('%s: fingerprint = sha256(utf8(key))[:16]', (_name, vector) => {
    expect(vector.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    // Buffer encodes a lone surrogate as U+FFFD, as fingerprint.md asks.
    const expected = createHash('sha256').update(Buffer.from(vector.key, 'utf8')).digest('hex').slice(0, 16);
    expect(vector.fingerprint).toBe(expected);
  });
});
