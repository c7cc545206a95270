// A compiled TypeScript project with source maps reports src/*.ts paths, lines and code.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeApp } from './helpers/child-app.js';
import { cjsEntry, packageDir } from './helpers/build.js';
import { useIngestServer } from './helpers/ingest-server.js';

const ingest = useIngestServer();

describe('source maps', () => {
  it.each([
    ['maps a crash in compiled TypeScript back to src/*.ts', false],
    // Vite's build.sourcemap: 'hidden' (install's default for a Vite-built server bundle): no comment, the .map beside the file.
    ['maps it with hidden maps too: no sourceMappingURL, the .map beside each file', true],
  ])('%s', async (_title, hidden) => {
    const app = makeApp();
    app.write('src/instrument.ts', `const { initPixel } = require(${JSON.stringify(cjsEntry)});\ninitPixel({ projectKey: 'pk_test_ts', ingestUrl: process.env.INGEST });\n`);
    app.write('src/env.d.ts', 'declare function require(id: string): any;\ndeclare const process: { env: Record<string, string | undefined> };\n');
    // late.ts loads after initPixel, so Node maps it; main.ts (the entry) loads before, so the SDK does.
    app.write('src/late.ts', `export function fail(): never {\n  throw new RangeError('late module');\n}\n`);
    app.write('src/main.ts', `import './instrument';
import { fail } from './late';
interface Order { items?: { price: number }[] }

export function total(order: Order): number {
  return order.items!.reduce((sum, item) => sum + item.price, 0);
}

setTimeout(() => {
  try { fail(); } catch (error) { require(${JSON.stringify(cjsEntry)}).reportPixel('late', { error }); }
  total({});
}, 1);
`);
    app.write('tsconfig.json', JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'CommonJS', sourceMap: true, outDir: 'dist', rootDir: 'src', strict: true, types: [] }, include: ['src'] }));
    execFileSync(process.execPath, [join(packageDir, 'node_modules/typescript/bin/tsc'), '-p', app.dir], { stdio: 'pipe' });
    if (hidden) {
      for (const name of ['main.js', 'late.js', 'instrument.js']) {
        const path = join(app.dir, 'dist', name);
        writeFileSync(path, readFileSync(path, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'));
        expect(readFileSync(path, 'utf8')).not.toContain('sourceMappingURL');
      }
    }
    const before = ingest().received.length;
    const result = await app.run(join(app.dir, 'dist/main.js'), { env: { INGEST: ingest().url } });
    expect(result.code).toBe(1);
    const [late, event] = ingest().events.slice(before);
    expect(late!.stack[0]).toMatchObject({ file: 'src/late.ts', line: 2, fn: 'fail', in_app: true });
    expect(late!.code_context.lines[2 - late!.code_context.start_line]).toBe("  throw new RangeError('late module');");
    expect(event!.type).toBe('TypeError');
    expect(event!.stack[0]).toMatchObject({ file: 'src/main.ts', line: 6, fn: 'total', in_app: true });
    expect(event!.code_context).toMatchObject({ file: 'src/main.ts', error_line: 6 });
    expect(event!.code_context.lines[6 - event!.code_context.start_line]).toBe('  return order.items!.reduce((sum, item) => sum + item.price, 0);');
  });
});
