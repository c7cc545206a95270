// Typechecked by frameworks.test.ts (tsc -p test/tsconfig.json): captureRequestError must be
// usable as Next.js's onRequestError, exactly as an instrumentation.ts would export it.
import type { Instrumentation } from 'next';
import { captureRequestError } from '../src/index.js';

export const onRequestError: Instrumentation.onRequestError = captureRequestError;

// And the way Next calls it, with its own types for the request and context.
type Args = Parameters<Instrumentation.onRequestError>;
export async function callLikeNext(error: Args[0], request: Args[1], context: Args[2]): Promise<void> {
  await onRequestError(error, request, context);
}
