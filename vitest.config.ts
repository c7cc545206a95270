import { defineConfig } from 'vitest/config';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
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
