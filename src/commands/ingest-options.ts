/**
 * What `listen`, `serve` and `keys` share: their flags' checks, the stop signal, and start-up
 * failures turned into one clear message and an exit code.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError, ExitCode } from '../exit-codes.js';
import { defaultRetention, isPostgresUrl, redactPassword, type RetentionPolicy } from '../ingest/store.js';

const minTokenLength = 16;

/**
 * The admin token, from EZ_PIXEL_ADMIN_TOKEN or --admin-token-file, never from argv (where `ps`
 * would show it). `who` needs it: serve, or sourcemaps upload.
 */
export function readAdminToken(file: unknown, who: string): string {
  let token = process.env.EZ_PIXEL_ADMIN_TOKEN;
  if (file !== undefined) {
    try {
      token = readFileSync(String(file), 'utf8').trim();
    } catch (error) {
      throw new CliError(`cannot read --admin-token-file ${String(file)}: ${describe(error)}`, ExitCode.usage);
    }
  }
  if (!token || token.length < minTokenLength || /\s/.test(token)) {
    throw new CliError(
      `${who} needs an admin token of at least ${minTokenLength} characters without spaces, in EZ_PIXEL_ADMIN_TOKEN or --admin-token-file`,
      ExitCode.usage,
      'Make one with: openssl rand -hex 32',
    );
  }
  return token;
}

/** `serve` and `keys` on one machine share this SQLite file unless told otherwise. */
export const defaultServeDatabase = 'ez-pixel.db';

export function parsePort(value: unknown): number {
  const text = String(value ?? '8765');
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535)) {
    throw new CliError(`--port must be a number from 0 to 65535 (0 picks a free port), not "${text}"`, ExitCode.usage);
  }
  return port;
}

/** A whole number within bounds, or a usage error naming the flag. */
export function parseCount(flag: string, value: unknown, min: number, max: number): number {
  const text = String(value);
  const number = /^\d{1,9}$/.test(text) ? Number(text) : NaN;
  if (!(number >= min && number <= max)) {
    throw new CliError(`${flag} must be a whole number from ${min} to ${max}, not "${text}"`, ExitCode.usage);
  }
  return number;
}

export function parseRetention(options: Record<string, unknown>): RetentionPolicy {
  return {
    keepFirst: options.keepFirst === undefined ? defaultRetention.keepFirst : parseCount('--keep-first', options.keepFirst, 0, 1_000_000),
    keepLatest:
      options.keepLatest === undefined ? defaultRetention.keepLatest : parseCount('--keep-latest', options.keepLatest, 1, 1_000_000),
    retainDays: options.retainDays === undefined ? undefined : parseCount('--retain-days', options.retainDays, 1, 100_000),
  };
}

/** A postgres:// URL as given; a SQLite path made absolute. */
export function parseDatabase(value: unknown, fallback: string): string {
  const text = String(value ?? fallback);
  return isPostgresUrl(text) ? text : resolve(text);
}

/** Resolves with the first SIGINT or SIGTERM; a second signal then gets the default (immediate) exit. */
export function waitForStopSignal(): { received: Promise<NodeJS.Signals>; cancel: () => void } {
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

export function startFailure(error: unknown, where: { host: string; port: number; database: string }): unknown {
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
  return databaseFailure(error, where.database) ?? error;
}

/** An error from opening or using the database, as a CliError; undefined for anything else. */
export function databaseFailure(error: unknown, database: string): CliError | undefined {
  const { code } = error as NodeJS.ErrnoException;
  if (code === undefined) return undefined;
  return new CliError(`cannot open the event store ${redactPassword(database)}: ${describe(error)}`, ExitCode.failed);
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
