/**
 * `"sideEffects": false` tells esbuild, webpack and Vite that importing a module of this package
 * for its effects alone does nothing, so they drop `import './ez-pixel.init'`: the built app
 * never starts error tracking. The init file (and a full-stack framework's client init, imported
 * the same way) is added to the field as an array (false becomes
 * `["./src/ez-pixel.init.ts"]`, which means the same for every other file), by a text edit that
 * keeps every other byte. It is written before the package manager runs, so package.json's
 * recorded `before` (restored by uninstall) is the text from before install.
 */
import type { FileEdit } from '../../plan/plan.js';

const FALSE_FIELD = /("sideEffects"\s*:\s*)false\b/;
const ARRAY_FIELD = /("sideEffects"\s*:\s*\[)([^\]]*)\]/;

/** package.json with the init listed in `sideEffects`, or null when nothing needs to change. */
export function keepInitInSideEffects(packageJson: string, initFile: string): string | null {
  const listed = `"./${initFile}"`;
  if (FALSE_FIELD.test(packageJson)) return packageJson.replace(FALSE_FIELD, (_all, head: string) => `${head}[${listed}]`);
  const array = ARRAY_FIELD.exec(packageJson);
  if (!array) return null;
  const items = array[2]!;
  if (items.includes(initFile)) return null;
  const joined = items.trim() === '' ? listed : `${items.replace(/\s*$/, '')}, ${listed}${items.match(/\s*$/)?.[0] ?? ''}`;
  return packageJson.replace(ARRAY_FIELD, (_all, head: string) => `${head}${joined}]`);
}

export function planSideEffects(packageJson: string | null, initFiles: string[]): { edit: FileEdit; note: string } | null {
  if (packageJson === null) return null;
  let after = packageJson;
  const listed: string[] = [];
  for (const file of initFiles) {
    const kept = keepInitInSideEffects(after, file);
    if (kept === null) continue;
    after = kept;
    listed.push(`./${file}`);
  }
  if (listed.length === 0) return null;
  return {
    edit: { path: 'package.json', before: packageJson, after, beforeCommands: true },
    note: `package.json "sideEffects" now lists ${listed.join(' and ')}, so bundlers keep the init (uninstall puts the field back)`,
  };
}
