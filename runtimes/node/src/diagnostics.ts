// The SDK's only voice. Warnings the user must see (a bad key, an event given up) always go to
// stderr; internal failures only with `debug: true`, because an error tracker must never add
// noise or exceptions to the host application.

let debugEnabled = false;

export function setDebug(enabled: boolean): void {
  debugEnabled = enabled;
}

export function warn(message: string): void {
  try {
    process.stderr.write(`ez-pixel: ${message}\n`);
  } catch {
    // stderr closed: nowhere left to say it.
  }
}

const warnedOnce = new Set<string>();

/** A warning that would repeat for every event (a broken hook) is said once per process. */
export function warnOnce(topic: string, message: string): void {
  if (warnedOnce.has(topic)) return;
  warnedOnce.add(topic);
  warn(message);
}

export function debug(message: string, error?: unknown): void {
  if (!debugEnabled) return;
  const detail = error instanceof Error ? `: ${error.stack ?? error.message}` : error === undefined ? '' : `: ${String(error)}`;
  warn(`[debug] ${message}${detail}`);
}
