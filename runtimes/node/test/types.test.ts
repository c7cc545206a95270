// The published declarations compile for an application on TypeScript 4.0 (the oldest we
// support; `import { type X }` needs 4.5) and on the current TypeScript, with and without
// skipLibCheck, in a project without @types/node: nothing public may need Node's types.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeApp } from './helpers/child-app.js';
import { ensureBuilt, packageDir } from './helpers/build.js';

const compilers = { 'TypeScript 4.0': join(packageDir, 'test/typescript-4.0/node_modules/typescript'), 'TypeScript 5': join(packageDir, 'node_modules/typescript') };

const usage = `import { initPixel, reportPixel, flushPixel, closePixel, getPixelStats, expressErrorHandler, captureRequestError, SDK_VERSION } from '@ez-pixel/node';
import type { PixelOptions, PixelEvent, Frame, QueueStats } from '@ez-pixel/node';
const options: PixelOptions = { projectKey: 'pk_test_types', scrub: false, beforeSend: (event: PixelEvent) => (event.stack.length > 0 ? event : null) };
initPixel(options);
const id: string | null = reportPixel('typed', { level: 'warning', context: { n: 1 } });
const frames: Frame[] = [];
const stats: QueueStats | null = getPixelStats();
void flushPixel(100).then((ok: boolean) => closePixel());
export { id, frames, stats, expressErrorHandler, captureRequestError, SDK_VERSION };
`;

describe('type declarations', () => {
  ensureBuilt();
  const app = makeApp();
  const installed = join(app.dir, 'node_modules', '@ez-pixel', 'node');
  mkdirSync(installed, { recursive: true });
  cpSync(join(packageDir, 'package.json'), join(installed, 'package.json'));
  cpSync(join(packageDir, 'dist'), join(installed, 'dist'), { recursive: true });
  app.write('usage.ts', usage);

  for (const [name, compiler] of Object.entries(compilers)) {
    for (const skipLibCheck of [false, true]) {
      it(`compile with ${name}, skipLibCheck ${skipLibCheck}`, () => {
        const tsc = join(compiler, 'bin', 'tsc');
        // node16 resolution reads the exports map; 4.0 predates it and reads "types".
        const resolution = name === 'TypeScript 5' ? { module: 'node16', moduleResolution: 'node16' } : { module: 'commonjs', moduleResolution: 'node' };
        const config = { compilerOptions: { noEmit: true, strict: true, target: 'es2019', types: [], skipLibCheck, ...resolution }, files: ['usage.ts'] };
        writeFileSync(join(app.dir, 'tsconfig.json'), JSON.stringify(config));
        let output = '';
        try {
          execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app.dir, encoding: 'utf8', stdio: 'pipe' });
        } catch (error) {
          output = String((error as { stdout?: string }).stdout ?? error);
        }
        expect(output).toBe('');
      });
    }
  }
});
