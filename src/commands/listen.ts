/**
 * `ez-pixel listen`: runs the local ingest until SIGINT or SIGTERM. The feed (or, with --json, one
 * JSON line per event) goes to stdout; the first stdout line is always `listening on <url>`.
 * Diagnostics go to stderr.
 */
import { resolve } from 'node:path';
import { CliError, ExitCode } from '../exit-codes.js';
import { isProjectKey } from '../key.js';
import { formatFeedLine, formatJsonLine } from '../listen/feed.js';
import { startIngestServer, type IngestServer } from '../listen/server.js';
import { isLoopbackHost } from '../loopback.js';
import { writeTarget } from '../plan/write-target.js';

const DEFAULT_STORE = '.ez-pixel/events.jsonl';

/**
 * The default store lies in the project, which may be a cloned repository: a committed
 * `.ez-pixel/events.jsonl` (or `.ez-pixel`) symlink must not make listen append to, or cut the
 * torn last line of, a file outside it (~/.bashrc). Another --store the user names is theirs to choose.
 */
async function refuseStoreOutside(storePath: string): Promise<void> {
  const target = await writeTarget(process.cwd(), storePath);
  if (target.kind === 'inside') return;
  throw new CliError(
    `${DEFAULT_STORE} is a symlink to ${target.real}, outside this folder; ez-pixel listen does not write there`,
    ExitCode.usage,
    'remove the link, or pass --store <file> to choose where events go',
  );
}

export async function listenCommand(options: Record<string, unknown>): Promise<number> {
  const port = parsePort(options.port);
  const host = String(options.host ?? '127.0.0.1');
  const storePath = resolve(String(options.store ?? DEFAULT_STORE));
  if (storePath === resolve(DEFAULT_STORE)) await refuseStoreOutside(storePath);
  const keys = options.keys === undefined ? undefined : parseKeys(String(options.keys));
  const format = options.json === true ? formatJsonLine : formatFeedLine;

  // A closed stdout (`ez-pixel listen | head`) must not take the ingest down with EPIPE.
  process.stdout.on('error', () => {});
  const stop = waitForStopSignal();
  let ingest: IngestServer;
  try {
    ingest = await startIngestServer({
      port,
      host,
      storePath,
      keys,
      onEvent: (accepted) => process.stdout.write(`${format(accepted)}\n`),
      onError: (error) => process.stderr.write(`ez-pixel listen: ${describe(error)}\n`),
    });
  } catch (error) {
    stop.cancel();
    throw startFailure(error, { host, port, storePath });
  }

  for (const warning of ingest.warnings) process.stderr.write(`ez-pixel listen: warning: ${warning}\n`);
  process.stdout.write(`listening on ${ingest.url}\n`);
  process.stderr.write(
    `ez-pixel listen: storing events in ${storePath} (${ingest.store.eventCount} events in ${ingest.store.groupTotal} groups); Ctrl-C to stop\n`,
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

function parsePort(value: unknown): number {
  const text = String(value ?? '8765');
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535)) {
    throw new CliError(`--port must be a number from 0 to 65535 (0 picks a free port), not "${text}"`, ExitCode.usage);
  }
  return port;
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

/** Resolves with the first SIGINT or SIGTERM; a second signal then gets the default (immediate) exit. */
function waitForStopSignal(): { received: Promise<NodeJS.Signals>; cancel: () => void } {
  let onSignal: (signal: NodeJS.Signals) => void = () => {};
  const cancel = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  const received = new Promise<NodeJS.Signals>((resolveSignal) => {
    onSignal = (signal) => {
      cancel();
      resolveSignal(signal);
    };
  });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { received, cancel };
}

function startFailure(error: unknown, where: { host: string; port: number; storePath: string }): unknown {
  const { code, syscall } = error as NodeJS.ErrnoException;
  if (code === 'EADDRINUSE') {
    return new CliError(
      `port ${where.port} is already in use on ${where.host}`,
      ExitCode.failed,
      'Stop the other listener, or pick another port with --port (0 picks a free one).',
    );
  }
  if (syscall === 'listen' || syscall === 'getaddrinfo') {
    return new CliError(`cannot listen on ${where.host}:${where.port}: ${describe(error)}`, ExitCode.failed);
  }
  if (code !== undefined) {
    return new CliError(`cannot open the event store ${where.storePath}: ${describe(error)}`, ExitCode.failed);
  }
  return error;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
