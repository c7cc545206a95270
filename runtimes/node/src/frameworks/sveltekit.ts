// SvelteKit: call this from `handleError` in src/hooks.server.ts. SvelteKit calls handleError for
// what a load function, a form action, a +server.ts endpoint or rendering throws unexpectedly, and
// for requests to no route (404): those are no failure of the app and are left out. The input
// types are the subset of SvelteKit's HandleServerError used here, so no dependency on @sveltejs/kit.
import { reportRequestError } from './request-error.js';

export interface SvelteKitErrorInput {
  error: unknown;
  event?: { request?: { method?: string }; url?: { pathname?: string }; route?: { id?: string | null } };
  status?: number;
}

export function captureSvelteKitError(input: Readonly<SvelteKitErrorInput>): void {
  try {
    if (typeof input?.status === 'number' && input.status < 500) return;
    const { event } = input;
    const route = event?.route?.id;
    reportRequestError(input.error, event?.request?.method, event?.url?.pathname, typeof route === 'string' ? { sveltekit: { route } } : {});
  } catch {
    // a getter of the app's event that throws must not throw into SvelteKit
  }
}
