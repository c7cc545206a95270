/**
 * `ez-pixel serve`: the production mode of the ingest. Project keys come from the database
 * (`ez-pixel keys`), each key has a rate limit, and the read API needs the admin token. Several
 * processes may share one PostgreSQL behind a load balancer.
 */
import { ExitCode } from '../exit-codes.js';
import { startIngestServer, type IngestServer } from '../ingest/server.js';
import {
  defaultServeDatabase,
  describe,
  parseCount,
  parseDatabase,
  parsePort,
  parseRetention,
  readAdminToken,
  startFailure,
  waitForStopSignal,
} from './ingest-options.js';

export async function serveCommand(options: Record<string, unknown>): Promise<number> {
  const port = parsePort(options.port);
  const host = String(options.host ?? '127.0.0.1');
  const database = parseDatabase(options.database ?? process.env.EZ_PIXEL_DATABASE, defaultServeDatabase);
  const adminToken = readAdminToken(options.adminTokenFile, 'serve');
  const rateLimit = {
    ratePerSecond: parseCount('--rate-limit', options.rateLimit ?? 50, 1, 1_000_000),
    burst: parseCount('--burst', options.burst ?? 200, 1, 10_000_000),
  };
  const retention = parseRetention(options);
  const maxUploadBytes = parseCount('--max-upload-mb', options.maxUploadMb ?? 64, 1, 1024) * 1024 * 1024;

  const stop = waitForStopSignal();
  let ingest: IngestServer;
  try {
    ingest = await startIngestServer({
      mode: 'serve',
      port,
      host,
      database,
      adminToken,
      rateLimit,
      retention,
      maxUploadBytes,
      onError: (error) => process.stderr.write(`ez-pixel serve: ${describe(error)}\n`),
    });
  } catch (error) {
    stop.cancel();
    throw startFailure(error, { host, port, database });
  }
  for (const notice of ingest.notices) process.stderr.write(`ez-pixel serve: ${notice}\n`);
  process.stdout.write(`listening on ${ingest.url}\n`);
  const keys = (await ingest.store.listKeys()).filter((key) => key.revokedAt === null).length;
  process.stderr.write(
    `ez-pixel serve: ${ingest.store.engine} store ${ingest.store.location}; ${keys} active project keys` +
      `${keys === 0 ? ' (add one with `ez-pixel keys add`)' : ''}; ${rateLimit.ratePerSecond} events/s per key (burst ${rateLimit.burst}); dashboard at ${ingest.origin}/\n`,
  );

  const signal = await stop.received;
  process.stderr.write(`ez-pixel serve: ${signal}, finishing requests and closing the store\n`);
  await ingest.close();
  return ExitCode.ok;
}
