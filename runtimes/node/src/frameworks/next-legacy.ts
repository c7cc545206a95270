// Next.js 13.2 to 14.x: instrumentation's register() runs, but Next never calls onRequestError
// (it arrived in 15). What Next 14 does do is trace each request with OpenTelemetry, through the
// global tracer provider, and record a route handler's exception on its span. reportNextErrors()
// watches the tracers that provider hands out: the request's root span (kind SERVER,
// `http.method`, `http.target`) opens a scope, and within it a span that ends with an exception,
// or an Error that Next logs with console.error (how it reports a server component's or a pages
// API route's error), is reported once for that request, with the method and path only.
// An application with its own provider (@vercel/otel's registerOTel, a NodeSDK) keeps it and all
// its spans: ours only wraps the tracers it returns. Without one, a minimal provider of ours (no
// OpenTelemetry SDK, nothing exported) is registered, once register() has run, so an app that
// registers its provider after the init still gets to.
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

interface TracerLike {
  startSpan(...args: unknown[]): unknown;
  startActiveSpan(...args: unknown[]): unknown;
}

interface TracerProviderLike {
  getTracer(...args: unknown[]): TracerLike;
}

interface TraceApi {
  trace: {
    setGlobalTracerProvider(provider: unknown): boolean;
    getTracerProvider(): { getDelegate?(): TracerProviderLike } & TracerProviderLike;
  };
  SpanKind?: { SERVER?: number };
}

/** The API's registry of global providers (shared by every copy of @opentelemetry/api 1.x). */
const globalApiKey = Symbol.for('opentelemetry.js.api.1');

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
    installed = true;
    patchConsoleError();
    const serverKind = api.SpanKind?.SERVER ?? 1;
    if (!watchAppProvider(api, serverKind)) {
      // register() goes on after the init: let the app register its own provider first.
      setImmediate(() => {
        try {
          if (!watchAppProvider(api, serverKind)) api.trace.setGlobalTracerProvider({ getTracer: () => watchTracer(quietTracer(), serverKind) });
        } catch (error) {
          debug('reportNextErrors could not register its tracer provider', error);
        }
      });
    }
    return true;
  } catch (error) {
    debug('reportNextErrors failed', error);
    return false;
  }
}

/** When the app registered a tracer provider, its tracers are wrapped in place (their spans still go where the app sends them). */
function watchAppProvider(api: TraceApi, serverKind: number): boolean {
  const registry = (globalThis as Record<symbol, { trace?: unknown } | undefined>)[globalApiKey];
  if (!registry?.trace) return false;
  const global = api.trace.getTracerProvider();
  const provider = typeof global.getDelegate === 'function' ? global.getDelegate() : global;
  const getTracer = provider.getTracer;
  if (typeof getTracer !== 'function') return false;
  const watched = new WeakMap<object, TracerLike>();
  provider.getTracer = function ezPixelGetTracer(this: unknown, ...args: unknown[]) {
    const tracer = getTracer.apply(this, args);
    if (typeof tracer !== 'object' || tracer === null) return tracer;
    let wrapped = watched.get(tracer);
    if (!wrapped) watched.set(tracer, (wrapped = watchTracer(tracer, serverKind)));
    return wrapped;
  };
  debug("reportNextErrors: watching the application's own tracer provider");
  return true;
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

interface SpanLike {
  recordException?(exception: unknown, ...rest: unknown[]): unknown;
  end?(...args: unknown[]): unknown;
}

/** The span reports what was recorded on it when it ends, inside its request's scope. */
function watchSpan<S>(span: S, scope: RequestScope | undefined): S {
  if (!scope || typeof span !== 'object' || span === null) return span;
  const target = span as SpanLike;
  const { recordException, end } = target;
  const exceptions: unknown[] = [];
  target.recordException = function ezPixelRecordException(this: unknown, exception: unknown, ...rest: unknown[]) {
    exceptions.push(exception);
    return recordException?.call(this, exception, ...rest);
  };
  target.end = function ezPixelEnd(this: unknown, ...args: unknown[]) {
    for (const exception of exceptions.splice(0)) report(exception, scope);
    return end?.apply(this, args);
  };
  return span;
}

/** A tracer whose spans report their exceptions; a SERVER span with the request's method and target starts a request scope. */
function watchTracer(tracer: TracerLike, serverKind: number): TracerLike {
  const requestOf = (options: SpanOptions | undefined): RequestScope | null => {
    const method = options?.attributes?.['http.method'];
    const target = options?.attributes?.['http.target'];
    if (options?.kind !== serverKind || typeof method !== 'string' || typeof target !== 'string') return null;
    return { method, path: pathOnly(target), reported: new Set() };
  };
  return {
    startSpan: (...args: unknown[]) => watchSpan(tracer.startSpan(...args), scopes.getStore()),
    startActiveSpan(...args: unknown[]) {
      const fn = args.pop() as (span: unknown) => unknown;
      const current = scopes.getStore();
      const request = current ? null : requestOf(args[1] as SpanOptions | undefined);
      const scope = request ?? current;
      const run = () => tracer.startActiveSpan(...args, (span: unknown) => fn(watchSpan(span, scope)));
      return request ? scopes.run(request, run) : run();
    },
  };
}

/** The spans of our own provider: they record nothing and export nothing. */
function quietTracer(): TracerLike {
  const span = () => ({
    spanContext: () => ({ traceId: '00000000000000000000000000000001', spanId: '0000000000000001', traceFlags: 0 }),
    setAttribute() { return this; },
    setAttributes() { return this; },
    addEvent() { return this; },
    addLink() { return this; },
    addLinks() { return this; },
    setStatus() { return this; },
    updateName() { return this; },
    isRecording: () => false,
    recordException() {},
    end() {},
  });
  return {
    startSpan: span,
    startActiveSpan: (...args: unknown[]) => (args.pop() as (span: unknown) => unknown)(span()),
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
