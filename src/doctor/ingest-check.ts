/** Check 8: the ingest URL is https (or on this machine) and answers HTTP. */
import { checkIngestUrl, withIngestPath } from '../key.js';
import { isLoopbackHost } from '../loopback.js';
import { fail, pass, warn, type Check } from './check.js';

const REACH_TIMEOUT_MS = 3000;

/** Any HTTP answer proves the path; the method is OPTIONS so nothing is stored. */
async function reach(url: string): Promise<{ status: number } | { error: string }> {
  try {
    const response = await fetch(url, { method: 'OPTIONS', signal: AbortSignal.timeout(REACH_TIMEOUT_MS) });
    await response.body?.cancel();
    return { status: response.status };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const name = (error as Error).name;
    return { error: name === 'TimeoutError' ? `no answer within ${REACH_TIMEOUT_MS / 1000} s` : (cause ?? (error as Error).message) };
  }
}

export async function checkIngest(ingestUrl: string | null): Promise<Check> {
  if (ingestUrl === null) return fail('ingest', 'no ingest URL is configured', 'npx ez-pixel install --ingest-url https://…');
  const parsed = checkIngestUrl(ingestUrl);
  if (!parsed.ok) return fail('ingest', parsed.reason, 'npx ez-pixel install --ingest-url https://…');
  const url = new URL(ingestUrl);
  const reached = await reach(ingestUrl);
  if ('error' in reached) {
    const fix = isLoopbackHost(url.hostname) ? 'start the local ingest: npx ez-pixel listen' : `check that ${url.host} is up and reachable from here`;
    return fail('ingest', `${ingestUrl} is unreachable: ${reached.error}`, fix);
  }
  const endpoint = withIngestPath(ingestUrl);
  // An origin that refuses the method is a dashboard or a site, not an ingest: every event is lost there.
  if (endpoint !== ingestUrl && (reached.status === 404 || reached.status === 405)) {
    return fail('ingest', `${ingestUrl} names no path and is not an ingest (HTTP ${reached.status})`, `npx ez-pixel install --ingest-url ${endpoint}`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return warn('ingest', `${ingestUrl} answers, but over plain http`, `use https: npx ez-pixel install --ingest-url https://${url.host}${url.pathname}`);
  }
  return pass('ingest', `${ingestUrl} answers (HTTP ${reached.status})`);
}
