/**
 * What a non-relative import may stand for in the project itself, through tsconfig's (or
 * jsconfig's) `paths` and `baseUrl`, as TypeScript, tsx, Vite and Next resolve them:
 * `@/app` with `"@/*": ["src/*"]` is src/app. The longest matching prefix wins; a `baseUrl` alone
 * makes `lib/app` mean <baseUrl>/lib/app. The paths are stems: app-files.ts tries the extensions.
 */
import { posix } from 'node:path';
import { readTsConfig, type TsConfig } from '../detect/tsconfig.js';

export type Aliases = Pick<TsConfig, 'baseUrl' | 'paths'>;

/** The import aliases of tsconfig.json, else jsconfig.json (a JavaScript project's). */
export async function projectAliases(read: (path: string) => Promise<string | null>): Promise<Aliases | null> {
  const files = { text: read };
  return (await readTsConfig(files)) ?? (await readTsConfig(files, 'jsconfig.json'));
}

export function aliasTargets(aliases: Aliases | null, specifier: string): string[] {
  if (!aliases) return [];
  const targets: string[] = [];
  const match = aliases.paths ? bestPattern(aliases.paths.patterns, specifier) : null;
  if (aliases.paths && match) {
    for (const target of match.targets) targets.push(posix.join(aliases.paths.base, target.replace('*', match.star)));
  }
  if (aliases.baseUrl !== null) targets.push(posix.join(aliases.baseUrl, specifier));
  return targets;
}

/** An exact pattern, else the `prefix*suffix` pattern with the longest prefix; `star` is what `*` matched. */
function bestPattern(patterns: Record<string, string[]>, specifier: string): { targets: string[]; star: string } | null {
  let best: { targets: string[]; star: string; prefix: number } | null = null;
  for (const [pattern, targets] of Object.entries(patterns)) {
    const star = pattern.indexOf('*');
    if (star === -1) {
      if (pattern === specifier) return { targets, star: '' };
      continue;
    }
    const prefix = pattern.slice(0, star);
    const suffix = pattern.slice(star + 1);
    const fits = specifier.length >= prefix.length + suffix.length && specifier.startsWith(prefix) && specifier.endsWith(suffix);
    if (fits && (!best || prefix.length > best.prefix)) {
      best = { targets, star: specifier.slice(prefix.length, specifier.length - suffix.length), prefix: prefix.length };
    }
  }
  return best;
}
