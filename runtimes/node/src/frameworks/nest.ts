// NestJS: a global exception filter, `app.useGlobalFilters(nestErrorFilter(app))`. It extends
// Nest's own BaseExceptionFilter, so after reporting a 5xx it hands the exception to Nest, which
// answers exactly as it did without it. @nestjs/core is the application's, found from where
// this SDK is installed (or the app's start file, or the working directory), never bundled here.
// Nest gives an exception to one global filter only, the last one registered that catches it. So
// ours stays last (a later app.useGlobalFilters call is followed by moving it back), and when the
// app has its own catch-all (an APP_FILTER provider, or app.useGlobalFilters(new AllExceptions…))
// ours hands the exception to it instead of Nest's: the app's filter still answers, and the
// request is reported once if that answer is a 5xx.
import { dirname } from 'node:path';
import { debug, warn } from '../diagnostics.js';
import { requireFrom } from '../on-demand-builtins.js';
import { sdkDirectory } from '../sdk-location.js';
import { reportRequestError } from './request-error.js';

interface ResponseLike {
  statusCode?: number;
  once?(event: 'finish', listener: () => void): unknown;
  /** Fastify's reply wraps the Node response. */
  raw?: ResponseLike;
}

interface ArgumentsHostLike {
  getType(): string;
  switchToHttp(): { getRequest(): { method?: string; originalUrl?: string; url?: string } | undefined; getResponse(): ResponseLike | undefined };
}

interface NestAppLike {
  getHttpAdapter(): unknown;
  /** Nest's ApplicationConfig (not in its public types): the global filters, APP_FILTER providers' included, in registration order. */
  config?: { getGlobalFilters?(): unknown };
}

interface ExceptionFilterLike {
  catch(exception: unknown, host: ArgumentsHostLike): void;
}

type BaseFilterClass = new (adapter?: unknown) => ExceptionFilterLike;

function baseExceptionFilter(): BaseFilterClass | null {
  const bases = [sdkDirectory(), process.argv[1] ? dirname(process.argv[1]) : null, process.cwd()];
  for (const base of bases) {
    if (!base) continue;
    try {
      const core = requireFrom(`${base.replace(/\/$/, '')}/`)('@nestjs/core') as { BaseExceptionFilter?: BaseFilterClass };
      if (typeof core.BaseExceptionFilter === 'function') return core.BaseExceptionFilter;
    } catch (error) {
      debug(`@nestjs/core not found from ${base}`, error);
    }
  }
  return null;
}

/** The status Nest answers with: an HttpException's getStatus(), else 500. */
function nestStatus(exception: unknown): number {
  const getStatus = typeof exception === 'object' && exception !== null ? (exception as { getStatus?: unknown }).getStatus : undefined;
  if (typeof getStatus === 'function') {
    const status: unknown = getStatus.call(exception);
    if (typeof status === 'number') return status;
  }
  return 500;
}

function report(exception: unknown, host: ArgumentsHostLike, status: number): void {
  try {
    if (host.getType() !== 'http' || status < 500) return;
    const request = host.switchToHttp().getRequest();
    reportRequestError(exception, request?.method, request?.originalUrl ?? request?.url);
  } catch (failure) {
    debug('nestErrorFilter could not read the request', failure);
  }
}

/** Reports once the app's own filter has answered, if its answer is a 5xx (it decides the status, not the exception). */
function reportWhenAnswered(exception: unknown, host: ArgumentsHostLike): void {
  try {
    if (host.getType() !== 'http') return;
    const response = host.switchToHttp().getResponse();
    const raw = response?.raw ?? response;
    if (typeof raw?.once !== 'function') return report(exception, host, nestStatus(exception));
    raw.once('finish', () => report(exception, host, typeof raw.statusCode === 'number' ? raw.statusCode : nestStatus(exception)));
  } catch (failure) {
    debug('nestErrorFilter could not watch the response', failure);
  }
}

function globalFilters(app: NestAppLike): ExceptionFilterLike[] | null {
  try {
    const filters = app.config?.getGlobalFilters?.();
    return Array.isArray(filters) ? (filters as ExceptionFilterLike[]) : null;
  } catch {
    return null;
  }
}

/** The filter Nest would pick without ours: the last registered other global filter whose @Catch() takes the exception. */
function appFilterFor(app: NestAppLike, ours: ExceptionFilterLike, exception: unknown): ExceptionFilterLike | undefined {
  const metadata = (Reflect as unknown as { getMetadata?: (key: string, target: unknown) => unknown }).getMetadata;
  if (typeof metadata !== 'function') return undefined;
  const others = (globalFilters(app) ?? []).filter((filter) => filter !== ours && typeof filter?.catch === 'function').reverse();
  return others.find((filter) => {
    const types = metadata('__filterCatchExceptions__', (filter as object).constructor);
    return !Array.isArray(types) || types.length === 0 || types.some((type) => typeof type === 'function' && exception instanceof type);
  });
}

/**
 * After each later app.useGlobalFilters(...), ours goes back to the end of the list, where Nest
 * looks first. The app is a Proxy that ignores assignments, so the wrapper goes on its config,
 * whose useGlobalFilters the app's calls.
 */
function keepLast(app: NestAppLike, ours: ExceptionFilterLike): void {
  const config = app.config as { useGlobalFilters?: (...filters: ExceptionFilterLike[]) => unknown } | undefined;
  const original = config?.useGlobalFilters;
  if (!config || typeof original !== 'function') return debug('nestErrorFilter: no Nest ApplicationConfig; a filter registered later may take errors before ours');
  config.useGlobalFilters = function ezPixelUseGlobalFilters(this: unknown, ...filters: ExceptionFilterLike[]) {
    const result = original.apply(this, filters);
    const list = globalFilters(app);
    const index = list?.indexOf(ours) ?? -1;
    if (list && index >= 0 && index !== list.length - 1) list.push(...list.splice(index, 1));
    return result;
  };
}

export function nestErrorFilter(app: NestAppLike): ExceptionFilterLike {
  const adapter = app.getHttpAdapter();
  const Base = baseExceptionFilter();
  if (!Base) {
    warn('nestErrorFilter: @nestjs/core was not found from the SDK or the app; errors get a plain reply');
    return { catch: (exception, host) => replyAsNest(adapter as HttpAdapterLike, exception, host) };
  }
  class EzPixelExceptionFilter extends Base {
    override catch(exception: unknown, host: ArgumentsHostLike): void {
      const theirs = appFilterFor(app, this, exception);
      if (!theirs) {
        report(exception, host, nestStatus(exception));
        return super.catch(exception, host);
      }
      reportWhenAnswered(exception, host);
      return theirs.catch(exception, host);
    }
  }
  const ours = new EzPixelExceptionFilter(adapter);
  keepLast(app, ours);
  return ours;
}

interface HttpAdapterLike {
  reply(response: unknown, body: unknown, status: number): void;
}

/** What BaseExceptionFilter answers over HTTP (an HttpException's own response, else a 500), for when it cannot be loaded. */
function replyAsNest(adapter: HttpAdapterLike, exception: unknown, host: ArgumentsHostLike): void {
  report(exception, host, nestStatus(exception));
  const getResponse = typeof exception === 'object' && exception !== null ? (exception as { getResponse?: unknown }).getResponse : undefined;
  const status = nestStatus(exception);
  const body = typeof getResponse === 'function' ? getResponse.call(exception) : { statusCode: 500, message: 'Internal server error' };
  adapter.reply((host as unknown as { getArgByIndex(index: number): unknown }).getArgByIndex(1), body, status);
}
