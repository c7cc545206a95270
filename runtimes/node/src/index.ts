// @ez-pixel/node: the public API, mirroring the Python SDK (init_pixel, report_pixel,
// flush_pixel, close_pixel). Every function here catches everything: the SDK never throws
// into the application.
import { debug, setDebug, warn } from './diagnostics.js';
import type { PixelOptions, QueueStats } from './public-types.js';
import type { Level } from './event-types.js';
import { resolveOptions } from './options.js';
import { activeClient, setActiveClient } from './active-client.js';
import { PixelClient } from './pixel-client.js';
import { runProbe, writeProbeFailure } from './probe.js';
import { isErrorLike } from './thrown-value.js';

export type { PixelOptions, QueueStats } from './public-types.js';
export type { PixelEvent, Frame, Cause, CodeContext, Level } from './event-types.js';
export { expressErrorHandler } from './frameworks/express.js';
export { fastifyErrorHook } from './frameworks/fastify.js';
export { honoErrorHandler } from './frameworks/hono.js';
export { koaErrorHandler } from './frameworks/koa.js';
export { nestErrorFilter } from './frameworks/nest.js';
export { trpcOnError } from './frameworks/trpc.js';
export { nitroErrorHook } from './frameworks/nitro.js';
export { captureRequestError } from './frameworks/next.js';
export { captureSvelteKitError } from './frameworks/sveltekit.js';
export { captureRouterError } from './frameworks/react-router.js';
export { reportNextErrors } from './frameworks/next-legacy.js';
export { SDK_VERSION } from './version.js';

export interface ReportOptions {
  /** The error (or any thrown value) being reported. */
  error?: unknown;
  level?: Level;
  /** JSON data sent with the event as `context`. */
  context?: Record<string, unknown>;
}

const LEVELS: ReadonlySet<unknown> = new Set(['fatal', 'error', 'warning', 'info']);

/**
 * Starts the SDK (or reconfigures it: the previous listeners are removed first). Returns true
 * when enabled; a bad key or URL prints one warning and leaves the SDK disabled.
 */
export function initPixel(options?: PixelOptions): boolean {
  try {
    replaceClient();
    const resolved = resolveOptions(options, process.env);
    const probePath = process.env.EZ_PIXEL_PROBE;
    if (!resolved.ok) {
      if (!resolved.silent) warn(`${resolved.reason}; error reporting is disabled`);
      if (probePath) writeProbeFailure(probePath, resolved.reason);
      return false;
    }
    setDebug(resolved.config.debug);
    for (const warning of resolved.warnings) warn(warning);
    // Compiled TypeScript reports src/*.ts paths and lines when source maps exist.
    process.setSourceMapsEnabled(true);
    const client = new PixelClient(resolved.config);
    setActiveClient(client);
    client.start();
    if (probePath) runProbe(client, probePath);
    return true;
  } catch (error) {
    debug('initPixel failed; error reporting is disabled', error);
    setActiveClient(null);
    return false;
  }
}

/**
 * Retires the current client. Its exit hooks go with it, so what it has not sent is spooled now
 * (for the next start; a resend is harmless, the ingest dedupes on event_id).
 */
function replaceClient(): void {
  const previous = activeClient();
  setActiveClient(null);
  if (!previous) return;
  previous.detach();
  previous.spoolUnsettled();
}

/**
 * Reports a message, or an error with `options.error`. Cheap: the work happens in a microtask.
 * Returns the event id, or null when nothing was queued (SDK disabled, the same error object
 * already reported, sampled out, or the queue full), as the Python SDK's report_pixel does.
 */
export function reportPixel(message: string, options: ReportOptions = {}): string | null {
  const current = activeClient();
  if (!current) return null;
  try {
    const error = options?.error;
    const hasError = options !== null && typeof options === 'object' && 'error' in options && error !== undefined;
    return current.capture({
      kind: hasError ? 'error' : 'message',
      value: error,
      message: typeof message === 'string' ? message : String(message),
      level: LEVELS.has(options?.level) ? (options.level as Level) : 'error',
      manual: true,
      context: options?.context,
      // Values that are not Errors carry no stack: the call site's stack stands in.
      callSite: hasError && isErrorLike(error) ? undefined : new Error(),
      timestamp: Date.now(),
    });
  } catch (failure) {
    debug('reportPixel failed', failure);
    return null;
  }
}

/** Waits until every queued event is sent; false if `timeoutMs` (default shutdownTimeoutMs) passes first. */
export async function flushPixel(timeoutMs?: number): Promise<boolean> {
  const current = activeClient();
  if (!current) return true;
  try {
    const ms = typeof timeoutMs === 'number' && timeoutMs >= 0 ? timeoutMs : current.config.shutdownTimeoutMs;
    return await current.flush(ms);
  } catch (error) {
    debug('flushPixel failed', error);
    return false;
  }
}

/** Flushes (bounded by shutdownTimeoutMs), removes every listener and disables the SDK. */
export async function closePixel(): Promise<void> {
  const current = activeClient();
  if (!current) return;
  setActiveClient(null);
  try {
    current.detach();
    if (!(await current.flush(current.config.shutdownTimeoutMs))) current.spoolUnsettled();
  } catch (error) {
    debug('closePixel failed', error);
  }
}

/** Delivery counters, including `dropped` (events refused because the queue was full). */
export function getPixelStats(): QueueStats | null {
  return activeClient()?.queue.stats() ?? null;
}
