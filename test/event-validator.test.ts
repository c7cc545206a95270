/**
 * The ingest's event validator is generated from spec/event.schema.json at build time
 * (scripts/event-validator.mjs), so the built `listen` compiles no schema when it starts. The
 * generated code must judge every spec example as the schema itself does, and the built CLI must
 * hold it instead of Ajv's compiler.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020Module from 'ajv/dist/2020.js';
import { validate as generated } from 'ez-pixel:event-validator';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a build script (plain ES module, no types)
import { bundleCli } from '../scripts/bundle-cli.mjs';
// @ts-expect-error: a build script (plain ES module, no types)
import { eventSchemaPath, eventValidatorSource } from '../scripts/event-validator.mjs';
import { killServers, root as repoRoot, startCliServer } from './helpers/cli-server.js';
import { postEvent } from './helpers/ingest.js';

const examplesDir = join(repoRoot, 'spec', 'events');
const examples = (['valid', 'invalid'] as const).flatMap((kind) =>
  readdirSync(join(examplesDir, kind)).filter((name) => name.endsWith('.json')).map((name) => `${kind}/${name}`),
);
const readExample = (name: string): unknown => JSON.parse(readFileSync(join(examplesDir, name), 'utf8'));

// The schema compiled at run time, as the ingest did before: the reference the generated code must match.
const compiled = new Ajv2020Module.default({ allErrors: false, strict: true }).compile(
  JSON.parse(readFileSync(eventSchemaPath, 'utf8')) as object,
);

/** The verdict and the first error, the parts of Ajv's answer the ingest turns into a 400. */
function judge(validate: { (data: unknown): boolean; errors?: unknown[] | null }, value: unknown) {
  const valid = validate(value);
  const [first] = (validate.errors ?? []) as { instancePath: string; keyword: string; params: unknown }[];
  return { valid, error: first && { instancePath: first.instancePath, keyword: first.keyword, params: first.params } };
}

describe('the generated event validator', () => {
  it('is standalone code, not a compile at run time', () => {
    const source: string = eventValidatorSource();
    expect(source).toMatch(/^"use strict";export const validate = /);
    expect(source).not.toContain('ajv/dist/2020');
  });

  it.each(examples)('judges spec/events/%s as the schema does', (name) => {
    const value = readExample(name);
    const expected = judge(compiled, value);
    expect(expected.valid).toBe(name.startsWith('valid/'));
    expect(judge(generated, value)).toEqual(expected);
  });

  it('counts maxLength in code points, as the schema does (its Ajv runtime helper is bundled)', () => {
    const event = readExample('valid/python-exception.json') as Record<string, unknown>;
    // `type` holds at most 512 characters: 512 emoji are 1,024 UTF-16 units and still fit.
    for (const [type, valid] of [['😀'.repeat(512), true], ['😀'.repeat(513), false]] as const) {
      expect(judge(generated, { ...event, type })).toEqual(judge(compiled, { ...event, type }));
      expect(generated({ ...event, type })).toBe(valid);
    }
  });
});

describe('the built CLI', () => {
  let dir = '';
  afterEach(() => {
    killServers();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("bundles the generated validator and none of Ajv's compiler", async () => {
    const out = mkdtempSync(join(tmpdir(), 'ez-pixel-bundle-'));
    try {
      const { metafile } = await bundleCli({ outdir: out, write: false });
      const inputs = Object.keys(metafile.inputs as Record<string, unknown>);
      expect(inputs).toContain('generated:ez-pixel:event-validator');
      expect(inputs.filter((input) => input.includes('node_modules/ajv/'))).toEqual(['node_modules/ajv/dist/runtime/ucs2length.js']);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('listen accepts the valid examples and refuses the invalid ones with 400', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ez-pixel-validator-'));
    const listener = await startCliServer('listen', ['--database', join(dir, 'events.db')]);
    for (const name of examples) {
      const answer = await postEvent(listener.url, readFileSync(join(examplesDir, name), 'utf8'));
      if (name.startsWith('valid/')) expect({ name, status: answer.status }).toEqual({ name, status: 201 });
      else expect({ name, status: answer.status, error: answer.body.error }).toEqual({ name, status: 400, error: 'invalid_event' });
    }
  });
});
