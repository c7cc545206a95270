/**
 * The Next.js (or another dependency's) version a project runs: the installed one
 * (node_modules/next/package.json, looked up from the project to the filesystem root as Node
 * resolves it), else the lowest version its declared range allows. Null when neither says (a tag
 * such as `latest` or `canary`).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface NextVersion {
  major: number;
  minor: number;
  /** Where the version was read, for messages: `node_modules/next 14.2.28`, `package.json "next": "^14.1.0"`. */
  from: string;
}

export function nextVersion(root: string): NextVersion | null {
  return packageVersion(root, 'next');
}

/** A dependency's version as nextVersion reads Next's: installed, else the lowest its declared range allows. */
export function packageVersion(root: string, name: string): NextVersion | null {
  for (let dir = root; ; dir = dirname(dir)) {
    const installed = readJson(join(dir, 'node_modules', name, 'package.json'))?.version;
    if (typeof installed === 'string') {
      const parsed = parse(installed);
      if (parsed) return { ...parsed, from: `node_modules/${name} ${installed}` };
    }
    if (dirname(dir) === dir) break;
  }
  const pkg = readJson(join(root, 'package.json'));
  for (const field of ['dependencies', 'devDependencies']) {
    const range = (pkg?.[field] as Record<string, unknown> | undefined)?.[name];
    const parsed = typeof range === 'string' ? parse(range) : null;
    if (parsed) return { ...parsed, from: `package.json "${name}": "${range as string}"` };
  }
  return null;
}

/** The first version in a version or range: `14.2.3` → 14.2, `^13.4.0` → 13.4, `~12` → 12.0. */
function parse(text: string): { major: number; minor: number } | null {
  const match = /(\d+)(?:\.(\d+))?/.exec(text);
  return match ? { major: Number(match[1]), minor: Number(match[2] ?? 0) } : null;
}

function readJson(path: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** How a version is wired: onRequestError (15+), the instrumentation hook flag plus span reports (13.2–14), or by hand. */
export type NextWiringKind = 'on-request-error' | 'instrumentation-flag' | 'unsupported';

export function nextWiringKind(version: NextVersion | null): NextWiringKind {
  if (version === null || version.major >= 15) return 'on-request-error';
  if (version.major > 13 || (version.major === 13 && version.minor >= 2)) return 'instrumentation-flag';
  return 'unsupported';
}
