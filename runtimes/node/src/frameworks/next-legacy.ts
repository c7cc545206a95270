// Next.js 13.2 to 14.x: instrumentation's register() runs, but Next never calls onRequestError
// (it arrived in 15). What Next 14 does do is trace each request with OpenTelemetry, through the
// global tracer provider, and record a route handler's exception on its span. reportNextErrors()
// registers a minimal provider (no OpenTelemetry SDK, nothing exported): the request's root span
// (kind SERVER, `http.method`, `http.target`) opens a scope, and within it a span that ends with
// an exception, or an Error that Next logs with console.error (how it reports a server
// component's or a pages API route's error), is reported once for that request, with the method
// and path only. An application that registers its own provider keeps it: ours is then not set.
import { AsyncLocalStorage } from 'node:async_hooks';
import { debug } from '../diagnostics.js';
import { requireFrom } from '../on-demand-builtins.js';
import { pathOnly, reportRequestError } from './request-error.js';

interface RequestScope {
  method: string;
  path: string;
  reported: Set<unknown>;
}

interface SpanOptions {
  kind?: number;
  attributes?: Record<string, unknown>;
}

interface TraceApi {
  trace: { setGlobalTracerProvider(provider: unknown): boolean };
  SpanKind?: { SERVER?: number };
}

const scopes = new AsyncLocalStorage<RequestScope>();
let installed = false;

/** Reports the request errors of a Next.js 13.2–14 app; call it from register() (the init does). */
export function reportNextErrors(): boolean {
  try {
    if (installed) return true;
    const api = openTelemetryApi();
    if (!api) {
      debug('reportNextErrors: neither @opentelemetry/api nor next/dist/compiled/@opentelemetry/api found');
      return false;
    }
    if (!api.trace.setGlobalTracerProvider({ getTracer: () => tracer(api.SpanKind?.SERVER ?? 1) })) {
      debug('reportNextErrors: the application registered its own tracer provider; leaving it');
      return false;
    }
    patchConsoleError();
    installed = true;
    return true;
  } catch (error) {
    debug('reportNextErrors failed', error);
    return false;
  }
}

/** The API Next itself loads: the app's @opentelemetry/api when it has one, else Next's compiled copy. */
function openTelemetryApi(): TraceApi | null {
  const load = requireFrom(`${process.cwd()}/`);
  for (const name of ['@opentelemetry/api', 'next/dist/compiled/@opentelemetry/api']) {
    try {
      return load(name) as TraceApi;
    } catch {
      // try the next one
    }
  }
  return null;
}

function report(error: unknown, scope: RequestScope | undefined): void {
  if (!scope || !(error instanceof Error)) return;
  // Next logs some errors twice (the RSC and the HTML pass) and records others on several spans.
  const key = error.stack ?? error.message;
  if (scope.reported.has(error) || scope.reported.has(key)) return;
  scope.reported.add(error).add(key);
  reportRequestError(error, scope.method, scope.path);
}

function tracer(serverKind: number) {
  const span = (scope: RequestScope | undefined) => {
    const exceptions: unknown[] = [];
    return {
      spanContext: () => ({ traceId: '00000000000000000000000000000001', spanId: '0000000000000001', traceFlags: 0 }),
      setAttribute() { return this; },
      setAttributes() { return this; },
      addEvent() { return this; },
      addLink() { return this; },
      addLinks() { return this; },
      setStatus() { return this; },
      updateName() { return this; },
      isRecording: () => false,
      recordException(exception: unknown) {
        exceptions.push(exception);
      },
      end() {
        for (const exception of exceptions) report(exception, scope);
      },
    };
  };
  const requestOf = (options: SpanOptions | undefined): RequestScope | null => {
    const method = options?.attributes?.['http.method'];
    const target = options?.attributes?.['http.target'];
    if (options?.kind !== serverKind || typeof method !== 'string' || typeof target !== 'string') return null;
    return { method, path: pathOnly(target), reported: new Set() };
  };
  return {
    startSpan: () => span(scopes.getStore()),
    startActiveSpan(_name: string, ...rest: unknown[]) {
      const fn = rest.pop() as (span: unknown) => unknown;
      const current = scopes.getStore();
      const request = current ? null : requestOf(rest[0] as SpanOptions | undefined);
      return request ? scopes.run(request, () => fn(span(request))) : fn(span(current));
    },
  };
}

/** Next logs a server component's or a pages API route's error with console.error, inside the request. */
function patchConsoleError(): void {
  const original = console.error;
  console.error = function ezPixelConsoleError(this: unknown, ...args: unknown[]) {
    try {
      const scope = scopes.getStore();
      if (scope) for (const arg of args) if (arg instanceof Error) report(arg, scope);
    } catch (failure) {
      debug('reporting a logged Next.js error failed', failure);
    }
    return original.apply(this, args);
  };
}
