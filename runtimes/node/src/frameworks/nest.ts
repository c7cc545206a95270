// NestJS: a global exception filter, `app.useGlobalFilters(nestErrorFilter(app))`. It extends
// Nest's own BaseExceptionFilter, so after reporting a 5xx it hands the exception to Nest, which
// answers exactly as it did without it. @nestjs/core is the application's, found from where
// this SDK is installed (or the app's start file, or the working directory), never bundled here.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { debug, warn } from '../diagnostics.js';
import { sdkDirectory } from '../sdk-location.js';
import { reportRequestError } from './request-error.js';

interface ArgumentsHostLike {
  getType(): string;
  switchToHttp(): { getRequest(): { method?: string; originalUrl?: string; url?: string } | undefined };
}

interface NestAppLike {
  getHttpAdapter(): unknown;
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
      const core = createRequire(`${base.replace(/\/$/, '')}/`)('@nestjs/core') as { BaseExceptionFilter?: BaseFilterClass };
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

function report(exception: unknown, host: ArgumentsHostLike): void {
  try {
    if (host.getType() !== 'http' || nestStatus(exception) < 500) return;
    const request = host.switchToHttp().getRequest();
    reportRequestError(exception, request?.method, request?.originalUrl ?? request?.url);
  } catch (failure) {
    debug('nestErrorFilter could not read the request', failure);
  }
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
      report(exception, host);
      super.catch(exception, host);
    }
  }
  return new EzPixelExceptionFilter(adapter);
}

interface HttpAdapterLike {
  reply(response: unknown, body: unknown, status: number): void;
}

/** What BaseExceptionFilter answers over HTTP (an HttpException's own response, else a 500), for when it cannot be loaded. */
function replyAsNest(adapter: HttpAdapterLike, exception: unknown, host: ArgumentsHostLike): void {
  report(exception, host);
  const getResponse = typeof exception === 'object' && exception !== null ? (exception as { getResponse?: unknown }).getResponse : undefined;
  const status = nestStatus(exception);
  const body = typeof getResponse === 'function' ? getResponse.call(exception) : { statusCode: 500, message: 'Internal server error' };
  adapter.reply((host as unknown as { getArgByIndex(index: number): unknown }).getArgByIndex(1), body, status);
}
