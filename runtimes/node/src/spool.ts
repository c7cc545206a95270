// Events that could not be sent before the process ended wait on disk for the next process
// with the same project key. The format is shared with the Python SDK:
//   <cache>/ez-pixel/spool/<first 16 hex of sha256(project_key)>/<event_id>.json
// <cache> is $EZ_PIXEL_CACHE_DIR, else $XDG_CACHE_HOME, else ~/.cache (%LOCALAPPDATA% on
// Windows). Files are written atomically (temp file + rename), synchronously, because the
// writer is usually an `exit` listener. At most 100 files and 5 MiB, none older than 7 days;
// folders 0700 and files 0600; temp files removed on failure and pruned after a minute.
// A process sends a spooled file only after claiming it by an atomic rename to
// <event_id>.json.claimed-<pid>-<unix seconds>, which exactly one process wins: under
// node:cluster or pm2 every worker reads the same folder, and each event is still sent once.
import { mkdirSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fsPromises, nodeCrypto } from './on-demand-builtins.js';

export const SPOOL_MAX_FILES = 100;
export const SPOOL_MAX_BYTES = 5 * 1024 * 1024;
export const SPOOL_MAX_AGE_MS = 7 * 24 * 3600 * 1000;
const EVENT_FILE = /^[0-9a-f-]{36}\.json$/;
/** A spool file, claimed (`.claimed-<pid>-<unix seconds>`) or not. */
const SPOOL_FILE = /^([0-9a-f-]{36}\.json)(?:\.claimed-(.*))?$/;
const TEMP_MAX_AGE_MS = 60_000;
export const CLAIM_MAX_AGE_MS = 3600 * 1000;

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

/** Removes expired files, then the oldest until at most 100 files and 5 MiB remain (claimed ones count). */
export function pruneSync(directory: string, now = Date.now()): void {
  const files: { path: string; mtime: number; size: number }[] = [];
  for (const name of readdirSync(directory)) {
    if (name.endsWith('.tmp')) {
      pruneTemp(join(directory, name), now);
      continue;
    }
    if (!SPOOL_FILE.test(name)) continue;
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

/**
 * Claims and reads up to `limit` spooled events, newest first: each is renamed to a name only
 * this process owns, so no other process sends it. Files claimed by a live process are left
 * alone; expired, unreadable and stale-claimed ones are handled as the spec says.
 */
export async function loadSpool(directory: string, limit: number, now = Date.now()): Promise<SpooledEvent[]> {
  const fs = await fsPromises();
  let names: string[];
  try {
    names = await fs.readdir(directory);
  } catch {
    return [];
  }
  const candidates: { name: string; mtime: number }[] = [];
  for (const name of names) {
    const match = SPOOL_FILE.exec(name);
    if (!match || (match[2] !== undefined && !staleClaim(match[2], now))) continue;
    try {
      const info = await fs.stat(join(directory, name));
      if (now - info.mtimeMs > SPOOL_MAX_AGE_MS) await removeSpooled(join(directory, name));
      else candidates.push({ name, mtime: info.mtimeMs });
    } catch {
      // Claimed or removed by another process meanwhile.
    }
  }
  candidates.sort((a, b) => b.mtime - a.mtime);
  const events: SpooledEvent[] = [];
  for (const { name } of candidates) {
    if (events.length >= limit) break;
    const base = SPOOL_FILE.exec(name)![1]!;
    const file = join(directory, `${base}.claimed-${process.pid}-${Math.floor(now / 1000)}`);
    try {
      await fs.rename(join(directory, name), file);
    } catch {
      continue; // another process claimed it first
    }
    try {
      const body = await fs.readFile(file, 'utf8');
      JSON.parse(body);
      events.push({ id: base.slice(0, -'.json'.length), body, file });
    } catch {
      await removeSpooled(file);
    }
  }
  return events;
}

/**
 * A claim (`<pid>-<unix seconds>`) may be taken over when it is unreadable, older than an hour,
 * or (not on Windows, where no pid probe is free of side effects) when no process has its pid.
 */
function staleClaim(claim: string, now: number): boolean {
  const parts = /^(\d+)-(\d+)$/.exec(claim);
  if (!parts || now - Number(parts[2]) * 1000 > CLAIM_MAX_AGE_MS) return true;
  const pid = Number(parts[1]);
  if (process.platform === 'win32' || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: it exists, owned by another user. Anything else (ESRCH, a pid out of range): gone.
    return (error as NodeJS.ErrnoException).code !== 'EPERM';
  }
}

/** Gives a claimed file back to the spool (not delivered): the next process sends it. Synchronous: used at exit. */
export function releaseSpooled(file: string): void {
  const claim = file.lastIndexOf('.claimed-');
  if (claim === -1) return;
  try {
    renameSync(file, file.slice(0, claim));
  } catch {
    // Pruned or taken over meanwhile.
  }
}

export async function removeSpooled(file: string): Promise<void> {
  await (await fsPromises()).unlink(file).catch(() => undefined);
}
