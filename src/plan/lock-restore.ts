/**
 * A TOML lockfile (poetry, pdm, uv) as it was before install, given back byte for byte when uninstall leaves the
 * same resolution. A newer package manager than the one that wrote the lock rewrites its whole
 * format on `poetry remove` (Poetry 1.4's `category = "main"` becomes 2.x's `groups = ["main"]`,
 * a new header), so the lock differed on every line although no package changed (found on
 * yuriy-kormin/hackernews-proxy). The lock is not copied into the record (it can be megabytes): the
 * record keeps git's blob id of the committed lock, and its resolution, the sorted `name==version`
 * of its packages. Uninstall restores the blob only when the lock the remove command wrote resolves
 * exactly the same packages; otherwise the manager's lock stays.
 */
import { createHash } from 'node:crypto';
import { execa } from 'execa';
import { parse as parseToml } from 'smol-toml';

export const TOML_LOCKFILE = /(^|\/)(poetry|pdm|uv)\.lock$/;

export interface LockRecord {
  path: string;
  /** git's blob id of the lock as committed before install. */
  gitBlob: string;
  /** sha256 of its sorted `name==version` package list. */
  resolution: string;
}

/** The resolution of a TOML lockfile, or null when it does not parse. */
export function lockResolution(text: string): string | null {
  try {
    const packages = (parseToml(text) as { package?: { name?: unknown; version?: unknown }[] }).package ?? [];
    const pins = packages.map((entry) => `${String(entry.name).toLowerCase()}==${String(entry.version)}`).sort();
    return createHash('sha256').update(pins.join('\n')).digest('hex');
  } catch {
    return null;
  }
}

async function git(root: string, args: string[]): Promise<string | null> {
  // The blob's bytes exactly: its final newline is part of the lock.
  const run = await execa('git', args, { cwd: root, reject: false, timeout: 15_000, stripFinalNewline: false });
  return run.exitCode === 0 ? String(run.stdout) : null;
}

/** The record of `path` when git holds exactly these bytes (it is committed or staged unchanged), else null. */
export async function recordLock(root: string, path: string, text: string): Promise<LockRecord | null> {
  const resolution = lockResolution(text);
  if (resolution === null) return null;
  const staged = /^\d+ ([0-9a-f]+) 0\t/.exec((await git(root, ['ls-files', '--stage', '--', path])) ?? '')?.[1];
  const onDisk = (await git(root, ['hash-object', '--', path]))?.trim();
  return staged && staged === onDisk ? { path, gitBlob: staged, resolution } : null;
}

/** The lock as committed before install, or null when git no longer has it. */
export async function committedLock(root: string, record: LockRecord): Promise<string | null> {
  return git(root, ['cat-file', 'blob', record.gitBlob]);
}

/** The committed lock when `current` resolves the same packages (and git still has it); else `current`. */
export async function restoredLock(root: string, record: LockRecord, current: string): Promise<string> {
  if (lockResolution(current) !== record.resolution) return current;
  return (await committedLock(root, record)) ?? current;
}
