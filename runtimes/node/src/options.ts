// Turns what the application passed to initPixel (plus the EZ_PIXEL_* environment variables)
// into a validated Config, or into the reason the SDK stays disabled. Never throws.
import type { PixelOptions } from './public-types.js';

export type { PixelOptions };

export interface Config {
  projectKey: string;
  ingestUrl: string;
  runtime: string;
  environment: string | null;
  release: string | null;
  sampleRate: number;
  beforeSend: PixelOptions['beforeSend'] | null;
  scrub: boolean;
  maxQueue: number;
  shutdownTimeoutMs: number;
  debug: boolean;
  /** The project root: in-app paths are relative to it. */
  root: string;
}

export type Resolved =
  | { ok: true; config: Config; warnings: string[] }
  /** `silent`: disabled on purpose (EZ_PIXEL_DISABLED), so no warning is due. */
  | { ok: false; reason: string; silent: boolean };

export const PROJECT_KEY = /^pk_(live|test)_[A-Za-z0-9_-]{1,128}$/;
/** The values that switch the SDK off, as in every SDK (spec/README.md). */
const DISABLED_VALUES = new Set(['1', 'true', 'yes', 'on']);
const RUNTIME = /^[a-z][a-z0-9]*-[0-9A-Za-z.+_-]+$/;

export function resolveOptions(options: PixelOptions | undefined, env: NodeJS.ProcessEnv): Resolved {
  const given = options && typeof options === 'object' ? options : {};
  const disabled = env.EZ_PIXEL_DISABLED;
  if (disabled !== undefined && DISABLED_VALUES.has(disabled.trim().toLowerCase())) {
    return { ok: false, reason: `disabled by EZ_PIXEL_DISABLED=${disabled}`, silent: true };
  }

  const projectKey = given.projectKey ?? env.EZ_PIXEL_PROJECT_KEY;
  if (typeof projectKey !== 'string' || !PROJECT_KEY.test(projectKey)) {
    const shown = typeof projectKey === 'string' ? `"${projectKey.slice(0, 12)}…"` : 'missing';
    return { ok: false, reason: `project key ${shown} is not pk_live_… or pk_test_… (set projectKey or EZ_PIXEL_PROJECT_KEY)`, silent: false };
  }
  const ingestUrl = given.ingestUrl ?? env.EZ_PIXEL_INGEST_URL;
  if (!isHttpUrl(ingestUrl)) {
    return { ok: false, reason: `ingest URL ${JSON.stringify(ingestUrl ?? null)} is not an http(s) URL (set ingestUrl or EZ_PIXEL_INGEST_URL)`, silent: false };
  }

  const warnings: string[] = [];
  const pick = <T>(name: string, value: unknown, valid: (v: unknown) => v is T, fallback: T): T => {
    if (value === undefined) return fallback;
    if (valid(value)) return value;
    warnings.push(`option ${name} ${JSON.stringify(value)} is not valid; using ${JSON.stringify(fallback)}`);
    return fallback;
  };
  const isRate = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v <= 1;
  const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;
  const isMs = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  const isRuntime = (v: unknown): v is string => typeof v === 'string' && RUNTIME.test(v);
  const isLabel = (max: number) => (v: unknown): v is string | null => v === null || (typeof v === 'string' && v.length <= max);
  const isHook = (v: unknown): v is PixelOptions['beforeSend'] => typeof v === 'function';

  return {
    ok: true,
    warnings,
    config: {
      projectKey,
      ingestUrl,
      runtime: pick('runtime', given.runtime, isRuntime, `node-${process.versions.node}`),
      environment: pick('environment', given.environment, isLabel(128), null),
      release: pick('release', given.release, isLabel(256), null),
      sampleRate: pick('sampleRate', given.sampleRate, isRate, 1),
      beforeSend: pick('beforeSend', given.beforeSend, isHook, null) ?? null,
      scrub: given.scrub !== false,
      maxQueue: pick('maxQueue', given.maxQueue, isCount, 100),
      shutdownTimeoutMs: pick('shutdownTimeoutMs', given.shutdownTimeoutMs, isMs, 2000),
      debug: given.debug === true,
      root: process.cwd(),
    },
  };
}

function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
