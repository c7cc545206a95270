// The ingest's event validator, generated from spec/event.schema.json by Ajv's standalone code
// generation, so `listen` never compiles the schema when it starts (compiling it, Ajv's meta-schema
// included, was most of a restart). src/ingest/validate.ts imports it as the module
// `ez-pixel:event-validator`: scripts/bundle-cli.mjs bundles this source into dist/, and
// vitest.config.ts serves the same source to the tests that run src/ directly.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(`${root}package.json`);

export const eventValidatorModule = 'ez-pixel:event-validator';
export const eventSchemaPath = `${root}spec/event.schema.json`;

/**
 * ESM source exporting `validate`, an Ajv validate function (errors in `validate.errors`) with the
 * options the ingest has always used: strict, first error only.
 */
export function eventValidatorSource() {
  const Ajv2020 = require('ajv/dist/2020').default;
  const standaloneCode = require('ajv/dist/standalone').default;
  const ajv = new Ajv2020({ allErrors: false, strict: true, code: { source: true, esm: true } });
  const source = standaloneCode(ajv, ajv.compile(JSON.parse(readFileSync(eventSchemaPath, 'utf8'))));
  // Ajv's runtime helpers (ucs2length, for maxLength) stay require() calls, even in ESM mode:
  // esbuild bundles them, and vitest.config.ts gives the module a require().
  return source;
}
