/**
 * `ez-pixel listen`: runs the local ingest until SIGINT or SIGTERM, on the embedded SQLite store
 * (or --database postgres://…). The feed (or, with --json, one JSON line per event) goes to
 * stdout; the first stdout line is always `listening on <url>`. Diagnostics go to stderr.
 */
import { dirname, join, relative } from 'node:path';
import { CliError, ExitCode } from '../exit-codes.js';
import { BuildMaps, defaultBuildDirs } from '../ingest/build-maps.js';
import { formatFeedLine, formatJsonLine } from '../ingest/feed.js';
import { startIngestServer, type IngestServer } from '../ingest/server.js';
import { isPostgresUrl } from '../ingest/store.js';
import { isProjectKey } from '../key.js';
import { isLoopbackHost } from '../loopback.js';
import { writeTarget } from '../plan/write-target.js';
import { describe, parseDatabase, parsePort, parseRetention, startFailure, waitForStopSignal } from './ingest-options.js';

export const defaultDatabase = '.ez-pixel/events.db';

/**
 * The default database lies in the project, which may be a cloned repository: a committed
 * `.ez-pixel/events.db` (or its -wal/-shm files, the old events.jsonl, or `.ez-pixel` itself) that
 * is a symlink must not make listen write to, or import, a file outside it (~/.bashrc). Another
 * --database the user names is theirs to choose.
 */
async function refuseDefaultOutside(database: string): Promise<void> {
  const paths = [database, `${database}-wal`, `${database}-shm`, join(dirname(database), 'events.jsonl')];
  for (const path of paths) {
    const target = await writeTarget(process.cwd(), path);
    if (target.kind === 'inside') continue;
    throw new CliError(
      `${relative(process.cwd(), path)} is a symlink to ${target.real}, outside this folder; ez-pixel listen does not write there`,
      ExitCode.usage,
      'remove the link, or pass --database <file> to choose where events go',
    );
  }
}

export async function listenCommand(options: Record<string, unknown>): Promise<number> {
  const port = parsePort(options.port);
  const host = String(options.host ?? '127.0.0.1');
  const database = parseDatabase(options.database, defaultDatabase);
  if (database === parseDatabase(undefined, defaultDatabase)) await refuseDefaultOutside(database);
  const keys = options.keys === undefined ? undefined : parseKeys(String(options.keys));
  const retention = parseRetention(options);
  const format = options.json === true ? formatJsonLine : formatFeedLine;

  // A closed stdout (`ez-pixel listen | head`) must not take the ingest down with EPIPE.
  process.stdout.on('error', () => {});
  const feed = batchedLines(process.stdout);
  const stop = waitForStopSignal();
  let ingest: IngestServer;
  try {
    ingest = await startIngestServer({
      port,
      host,
      database,
      keys,
      retention,
      sourceMaps: new BuildMaps(process.cwd(), sourceMapDirs(options.sourceMaps)).find,
      // The store before this one: a JSONL file beside the database.
      importJsonl: isPostgresUrl(database) ? undefined : join(dirname(database), 'events.jsonl'),
      onEvent: (accepted) => feed(format(accepted)),
      onError: (error) => process.stderr.write(`ez-pixel listen: ${describe(error)}\n`),
    });
  } catch (error) {
    stop.cancel();
    throw startFailure(error, { host, port, database });
  }

  for (const notice of ingest.notices) process.stderr.write(`ez-pixel listen: ${notice}\n`);
  process.stdout.write(`listening on ${ingest.url}\n`);
  const { events, groups } = await ingest.store.totals();
  process.stderr.write(
    `ez-pixel listen: storing events in ${ingest.store.location} (${events} events in ${groups} groups); dashboard at ${ingest.origin}/; Ctrl-C to stop\n`,
  );
  if (!isLoopbackHost(host)) {
    process.stderr.write(
      `ez-pixel listen: warning: ${host} is reachable from other machines${keys ? '' : '; consider --keys'}\n`,
    );
  }

  const signal = await stop.received;
  process.stderr.write(`ez-pixel listen: ${signal}, closing the store\n`);
  await ingest.close();
  return ExitCode.ok;
}

/** `--source-maps dist,public/js`: the build folders to read maps from, instead of the usual ones. */
function sourceMapDirs(value: unknown): string[] {
  if (value === undefined) return defaultBuildDirs;
  const dirs = String(value).split(',').map((dir) => dir.trim()).filter((dir) => dir !== '');
  if (dirs.length === 0) throw new CliError('--source-maps takes comma-separated build folders, e.g. dist', ExitCode.usage);
  return dirs;
}

/**
 * The feed lines of one turn of the event loop go out in one write: the events of a flood are
 * acknowledged in batches, and one write per event cost a tenth of the ingest's CPU.
 */
function batchedLines(stream: NodeJS.WritableStream): (line: string) => void {
  let pending: string[] = [];
  return (line) => {
    if (pending.length === 0) {
      setImmediate(() => {
        stream.write(pending.join(''));
        pending = [];
      });
    }
    pending.push(`${line}\n`);
  };
}

function parseKeys(text: string): string[] {
  const keys = text.split(',').map((key) => key.trim()).filter((key) => key !== '');
  const bad = keys.find((key) => !isProjectKey(key));
  if (keys.length === 0 || bad !== undefined) {
    throw new CliError(
      `--keys takes comma-separated project keys (pk_live_… or pk_test_…)${bad === undefined ? '' : `; "${bad}" is not one`}`,
      ExitCode.usage,
    );
  }
  return keys;
}
