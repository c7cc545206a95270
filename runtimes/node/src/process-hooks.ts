// The process listeners, chosen so that installing the SDK never changes what Node does:
// - `uncaughtExceptionMonitor` sees every uncaught exception (and, in the default `throw` mode,
//   every unhandled rejection Node is about to raise) without suppressing Node's own printing
//   and exit code. An `uncaughtException` listener would swallow the crash.
// - `unhandledRejection` is listened to only where a listener does not change Node's behaviour:
//   always under --unhandled-rejections=warn or none, and under throw only while the application
//   has a listener of its own (a listener there marks the rejection handled, which would turn a
//   crash into silence). Under warn-with-error-code it is listened to always (nothing else sees
//   those rejections), and while the application has no listener of its own the SDK does what
//   Node would have done: the same warnings on stderr and exit code 1. Under strict the monitor
//   sees them all.
// - `beforeExit` flushes; `exit` spools what is still unsent.
import { debug } from './diagnostics.js';

export interface HookTarget {
  /** Synchronous: `dying` is true when Node will print the error and exit right after. */
  onUncaught(error: unknown, origin: string, dying: boolean): void;
  onRejection(reason: unknown): void;
  onBeforeExit(): void;
  onExit(): void;
}

export type RejectionMode = 'throw' | 'strict' | 'warn' | 'none' | 'warn-with-error-code';
const MODES: readonly string[] = ['throw', 'strict', 'warn', 'none', 'warn-with-error-code'];

/** The --unhandled-rejections mode; the command line wins over NODE_OPTIONS, as in Node. */
export function rejectionMode(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): RejectionMode {
  let mode: RejectionMode = 'throw';
  for (const args of [nodeOptions.split(/\s+/), execArgv]) {
    args.forEach((arg, i) => {
      const value = arg.startsWith('--unhandled-rejections=') ? arg.slice(arg.indexOf('=') + 1) : arg === '--unhandled-rejections' ? args[i + 1] : undefined;
      if (value !== undefined && MODES.includes(value)) mode = value as RejectionMode;
    });
  }
  return mode;
}

/** Installs the listeners; returns the function that removes every one of them. */
export function installHooks(target: HookTarget): () => void {
  const monitor = guard((error: unknown, origin: string) => {
    const dying = process.listenerCount('uncaughtException') === 0 && !process.hasUncaughtExceptionCaptureCallback();
    target.onUncaught(error, origin, dying);
  });
  const mode = rejectionMode();
  let rejectionId = 0;
  const rejection = guard((reason: unknown) => {
    rejectionId++;
    target.onRejection(reason);
    if (mode === 'warn-with-error-code' && appRejectionListeners() === 0) actAsNodeWarnWithErrorCode(reason, rejectionId);
  });
  const beforeExit = guard(() => target.onBeforeExit());
  const exit = guard(() => target.onExit());
  const appRejectionListeners = () => process.listeners('unhandledRejection').filter((l) => l !== rejection).length;

  const onNewListener = (event: string | symbol, listener: unknown) => {
    if (event === 'unhandledRejection' && listener !== rejection && !process.listeners('unhandledRejection').includes(rejection)) {
      process.on('unhandledRejection', rejection);
    }
  };
  const onRemoveListener = (event: string | symbol, listener: unknown) => {
    if (event === 'unhandledRejection' && listener !== rejection && appRejectionListeners() === 0) {
      process.removeListener('unhandledRejection', rejection);
    }
  };

  process.on('uncaughtExceptionMonitor', monitor);
  process.on('beforeExit', beforeExit);
  process.on('exit', exit);
  const followsApp = mode === 'throw';
  if (!followsApp || appRejectionListeners() > 0) process.on('unhandledRejection', rejection);
  if (followsApp) {
    process.on('newListener', onNewListener);
    process.on('removeListener', onRemoveListener);
  }

  return () => {
    process.removeListener('newListener', onNewListener);
    process.removeListener('removeListener', onRemoveListener);
    process.removeListener('uncaughtExceptionMonitor', monitor);
    process.removeListener('beforeExit', beforeExit);
    process.removeListener('exit', exit);
    process.removeListener('unhandledRejection', rejection);
  };
}

/**
 * What Node does with an unhandled rejection under warn-with-error-code when nobody listens
 * (lib/internal/process/promises.js): two warnings, then exit code 1. The rejection id is this
 * SDK's count, which matches Node's unless rejections were handled late.
 */
function actAsNodeWarnWithErrorCode(reason: unknown, id: number): void {
  const name = 'UnhandledPromiseRejectionWarning';
  try {
    process.emitWarning(reason instanceof Error ? String(reason.stack) : String(reason), name);
  } catch {
    // A reason whose toString throws: Node prints nothing for it either.
  }
  process.emitWarning(
    'Unhandled promise rejection. This error originated either by throwing inside of an async function without a catch block, ' +
      'or by rejecting a promise which was not handled with .catch(). To terminate the node process on unhandled promise rejection, ' +
      'use the CLI flag `--unhandled-rejections=strict` (see https://nodejs.org/api/cli.html#cli_unhandled_rejections_mode). ' +
      `(rejection id: ${id})`,
    name,
  );
  process.exitCode = 1;
}

/** A listener that can never throw: an exception in a process listener would become the app's crash. */
function guard<A extends unknown[]>(listener: (...args: A) => void): (...args: A) => void {
  return (...args) => {
    try {
      listener(...args);
    } catch (error) {
      debug('a process listener failed', error);
    }
  };
}
