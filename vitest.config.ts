import { defineConfig } from 'vitest/config';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventValidatorModule, eventValidatorSource } from './scripts/event-validator.mjs';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * src/ingest/validate.ts imports the validator the build generates from the event schema; tests
 * that run src/ get the same generated code, with the require() its Ajv helpers use.
 */
const generatedEventValidator = {
  name: 'generated-event-validator',
  resolveId: (id: string) => (id === eventValidatorModule ? `\0${eventValidatorModule}` : undefined),
  load: (id: string) =>
    id === `\0${eventValidatorModule}`
      ? `import { createRequire } from 'node:module';\nconst require = createRequire(${JSON.stringify(`${root}package.json`)});\n${eventValidatorSource()}`
      : undefined,
};

export default defineConfig({
  plugins: [generatedEventValidator],
  test: {
    include: ['test/**/*.test.ts', 'runtimes/node/test/**/*.test.ts', 'runtimes/browser/test/**/*.test.ts'],
    // End-to-end tests drive real package managers and child processes on a 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    env: {
      // Package managers installed by scripts/setup-test-env.sh come first on PATH.
      PATH: `${root}.tools/bin:${process.env.PATH ?? ''}`,
      NO_COLOR: '1',
      // Apps the tests crash spool undelivered events here, never into the user's real cache.
      EZ_PIXEL_CACHE_DIR: join(tmpdir(), `ez-pixel-test-cache-${process.pid}`),
    },
  },
});
