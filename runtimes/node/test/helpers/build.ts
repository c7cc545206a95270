// Tests run against the built dist/. scripts/test.sh builds before vitest; when run alone, the
// first test file to need it builds it (once, under a lock, if src/ is newer than dist/).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageDir = fileURLToPath(new URL('../..', import.meta.url));
export const esmEntry = join(packageDir, 'dist/esm/index.js');
export const cjsEntry = join(packageDir, 'dist/cjs/index.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function isFresh(): boolean {
  try {
    const built = Math.min(statSync(cjsEntry).mtimeMs, statSync(esmEntry).mtimeMs, statSync(join(packageDir, 'dist/cjs/package.json')).mtimeMs);
    return built >= newestMtime(join(packageDir, 'src'));
  } catch {
    return false;
  }
}

export function ensureBuilt(): void {
  if (isFresh()) return;
  const lock = join(packageDir, '.build-lock');
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (waited > 60_000) rmSync(lock, { recursive: true, force: true });
      execFileSync('sleep', ['0.2']);
    }
  }
  try {
    if (!isFresh()) execFileSync('npm', ['run', '--silent', 'build'], { cwd: packageDir, stdio: 'inherit' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
