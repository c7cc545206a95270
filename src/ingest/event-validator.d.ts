/** The validator generated from spec/event.schema.json at build time (scripts/event-validator.mjs). */
declare module 'ez-pixel:event-validator' {
  import type { ErrorObject } from 'ajv';

  /** Ajv's standalone validate function: true for a valid event, else the first error in `errors`. */
  export const validate: {
    (data: unknown): boolean;
    errors?: ErrorObject[] | null;
  };
}
