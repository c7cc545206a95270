/**
 * Issue 13's rule: shared code (everything under src/ outside src/platforms/) never names a
 * platform, so a new platform is one folder plus its line in src/platforms/index.ts and names.ts.
 * The scan reads the real source tree; a plant in a temp copy proves it finds what it must.
 */
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { platformNames } from '../src/platforms/names.js';
import { platforms } from '../src/platforms/index.js';
import { repoRoot } from './install-helpers.js';

/** Platform names to look for: every registered one. */
const names = [...platformNames];

/** A platform's name as a string literal, or an import of a module inside one platform's folder. */
function offences(text: string): string[] {
  const found: string[] = [];
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    for (const name of names) {
      if (new RegExp(`(['"\`])${name}\\1`).test(line)) found.push(`${index + 1}: names '${name}': ${line.trim()}`);
    }
    const imported = /(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]*platforms\/([\w-]+)\/[^'"]*)['"]/.exec(line);
    if (imported) found.push(`${index + 1}: imports ${imported[1]} (shared code reaches a platform through platforms/index.js)`);
  });
  return found;
}

function sharedFiles(src: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (path !== join(src, 'platforms')) walk(path);
      } else if (/\.(ts|mts|cts|js|mjs)$/.test(entry.name)) {
        files.push(path);
      }
    }
  };
  walk(src);
  return files;
}

/** Every offence under `src`, as `path:line: what`. */
function scan(src: string): string[] {
  return sharedFiles(src).flatMap((file) => offences(readFileSync(file, 'utf8')).map((offence) => `${relative(src, file)}:${offence}`));
}

const temp = mkdtempSync(join(tmpdir(), 'ez-pixel-boundary-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('the platform boundary', () => {
  it('no shared module under src/ names a platform or imports from a platform folder', () => {
    const src = join(repoRoot, 'src');
    expect(sharedFiles(src).length).toBeGreaterThan(50);
    expect(scan(src)).toEqual([]);
  });

  it('the scan finds a platform named in shared code and an import from a platform folder, and skips src/platforms/', () => {
    const src = join(temp, 'src');
    mkdirSync(join(src, 'plan'), { recursive: true });
    mkdirSync(join(src, 'platforms', 'node'), { recursive: true });
    writeFileSync(join(src, 'plan', 'a.ts'), "export const x = (r: string) => r === 'python';\n");
    writeFileSync(join(src, 'plan', 'b.ts'), "import { y } from '../platforms/node/y.js';\nexport const z = \"browser\";\n");
    writeFileSync(join(src, 'plan', 'c.ts'), "import { platformOf } from '../platforms/index.js';\nexport const runs = 'node_modules';\n");
    writeFileSync(join(src, 'platforms', 'node', 'index.ts'), "export const name = 'node';\n");
    expect(scan(src)).toEqual([
      "plan/a.ts:1: names 'python': export const x = (r: string) => r === 'python';",
      'plan/b.ts:1: imports ../platforms/node/y.js (shared code reaches a platform through platforms/index.js)',
      'plan/b.ts:2: names \'browser\': export const z = "browser";',
    ]);
  });

  it('the registry lists every name in names.ts, each once', () => {
    expect(platforms.map((platform) => platform.name)).toEqual([...platformNames]);
  });
});
