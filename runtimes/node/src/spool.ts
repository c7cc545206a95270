// Events that could not be sent before the process ended wait on disk for the next process
// with the same project key. The format is shared with the Python SDK:
//   <cache>/ez-pixel/spool/<first 16 hex of sha256(project_key)>/<event_id>.json
// <cache> is $EZ_PIXEL_CACHE_DIR, else $XDG_CACHE_HOME, else ~/.cache (%LOCALAPPDATA% on
// Windows). Files are written atomically (temp file + rename), synchronously, because the
// writer is usually an `exit` listener. At most 100 files and 5 MiB, none older than 7 days;
// folders 0700 and files 0600; temp files removed on failure and pruned after a minute.
import { mkdirSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fsPromises, nodeCrypto } from './on-demand-builtins.js';

export const SPOOL_MAX_FILES = 100;
export const SPOOL_MAX_BYTES = 5 * 1024 * 1024;
export const SPOOL_MAX_AGE_MS = 7 * 24 * 3600 * 1000;
const EVENT_FILE = /^[0-9a-f-]{36}\.json$/;
const TEMP_MAX_AGE_MS = 60_000;

export interface SpooledEvent {
  id: string;
  body: string;
  file: string;
}

/** `<cache>/ez-pixel/spool`, the parent of every key's directory. */
export function spoolRoot(env: NodeJS.ProcessEnv = process.env): string {
  const cache =
    env.EZ_PIXEL_CACHE_DIR ||
    env.XDG_CACHE_HOME ||
    (process.platform === 'win32' && env.LOCALAPPDATA ? env.LOCALAPPDATA : join(homeDirectory(env), '.cache'));
  return join(cache, 'ez-pixel', 'spool');
}

export function spoolDirectory(projectKey: string, env: NodeJS.ProcessEnv = process.env): string {
  const hash = nodeCrypto().createHash('sha256').update(projectKey, 'utf8').digest('hex').slice(0, 16);
  return join(spoolRoot(env), hash);
}

/** os.homedir() without loading node:os: $HOME (or %USERPROFILE%) as homedir() itself reads it first. */
function homeDirectory(env: NodeJS.ProcessEnv): string {
  return (process.platform === 'win32' ? env.USERPROFILE : env.HOME) || '/';
}

/** Writes each event to the spool, then enforces the limits. Returns how many were written. */
export function spoolSync(directory: string, events: { id: string; body: string }[]): number {
  if (events.length === 0) return 0;
  // They hold messages, source lines and the key: for this user only (spec/README.md "Spool").
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  let written = 0;
  try {
    for (const { id, body } of events) {
      if (!EVENT_FILE.test(`${id}.json`)) continue;
      writeAtomically(join(directory, `${id}.json`), join(directory, `.${id}.${process.pid}.tmp`), body);
      written++;
    }
  } finally {
    pruneSync(directory);
  }
  return written;
}

function writeAtomically(target: string, temp: string, body: string): void {
  try {
    writeFileSync(temp, body, { mode: 0o600 });
    renameSync(temp, target);
  } catch (error) {
    // A full disk leaves an empty temp file behind: never let it pile up.
    unlinkQuietly(temp);
    throw error;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}

/** Removes expired files, then the oldest until at most 100 files and 5 MiB remain. */
export function pruneSync(directory: string, now = Date.now()): void {
  const files: { path: string; mtime: number; size: number }[] = [];
  for (const name of readdirSync(directory)) {
    if (name.endsWith('.tmp')) {
      pruneTemp(join(directory, name), now);
      continue;
    }
    if (!EVENT_FILE.test(name)) continue;
    const path = join(directory, name);
    try {
      const info = statSync(path);
      if (now - info.mtimeMs > SPOOL_MAX_AGE_MS) unlinkSync(path);
      else files.push({ path, mtime: info.mtimeMs, size: info.size });
    } catch {
      // Removed by another process meanwhile.
    }
  }
  files.sort((a, b) => b.mtime - a.mtime);
  let bytes = 0;
  files.forEach((file, index) => {
    bytes += file.size;
    if (index >= SPOOL_MAX_FILES || bytes > SPOOL_MAX_BYTES) unlinkQuietly(file.path);
  });
}

/** A temp file older than a minute belongs to a writer that died or failed (either SDK's). */
function pruneTemp(path: string, now: number): void {
  try {
    if (now - statSync(path).mtimeMs > TEMP_MAX_AGE_MS) unlinkSync(path);
  } catch {
    // Renamed or removed meanwhile.
  }
}

/** Reads the spooled events, newest first, discarding expired and unreadable files. */
export async function loadSpool(directory: string, now = Date.now()): Promise<SpooledEvent[]> {
  const fs = await fsPromises();
  let names: string[];
  try {
    names = (await fs.readdir(directory)).filter((name) => EVENT_FILE.test(name));
  } catch {
    return [];
  }
  const events: (SpooledEvent & { mtime: number })[] = [];
  for (const name of names) {
    const file = join(directory, name);
    try {
      const info = await fs.stat(file);
      if (now - info.mtimeMs > SPOOL_MAX_AGE_MS) {
        await removeSpooled(file);
        continue;
      }
      const body = await fs.readFile(file, 'utf8');
      JSON.parse(body);
      events.push({ id: name.slice(0, -'.json'.length), body, file, mtime: info.mtimeMs });
    } catch {
      await removeSpooled(file);
    }
  }
  return events.sort((a, b) => b.mtime - a.mtime).map(({ id, body, file }) => ({ id, body, file }));
}

export async function removeSpooled(file: string): Promise<void> {
  await (await fsPromises()).unlink(file).catch(() => undefined);
}

