/**
 * A package that is published to a registry (it has `bin` or `files` and is not `private`) cannot
 * depend on `file:.ez-pixel/…`: the tgz is not in what its users download, so `npm install <it>`
 * would fail for every one of them. Such a package must depend on the SDK from the registry.
 */
import { asObject } from '../../detectors/project-files.js';

/** Why package.json looks published ("package.json has bin and is not private"), or null. */
export function publishedBecause(packageJson: string | null): string | null {
  if (packageJson === null) return null;
  let pkg: Record<string, unknown> | null;
  try {
    pkg = asObject(JSON.parse(packageJson));
  } catch {
    return null;
  }
  if (!pkg || pkg.private === true) return null;
  const fields = ['bin', 'files'].filter((field) => pkg[field] !== undefined);
  return fields.length === 0 ? null : `package.json has ${fields.join(' and ')} and is not private`;
}
