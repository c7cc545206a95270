/**
 * The `.env` variables install writes: reading an existing value (so a key is never rotated
 * silently) and the exact line written for a value.
 */

export const ENV_FILE = '.env';
export const KEY_VARIABLE = 'EZ_PIXEL_PROJECT_KEY';
export const URL_VARIABLE = 'EZ_PIXEL_INGEST_URL';

export function envLine(variable: string, value: string): string {
  return `${variable}=${value}`;
}

export interface EnvAssignment {
  /** The whole line as written, without its ending. */
  line: string;
  value: string;
}

/** The last assignment of `variable` in a .env text (`export` and quotes allowed), or null. */
export function readEnvVariable(content: string | null, variable: string): EnvAssignment | null {
  if (content === null) return null;
  let found: EnvAssignment | null = null;
  const pattern = new RegExp(`^\\s*(?:export\\s+)?${variable}\\s*=\\s*(.*?)\\s*$`);
  for (const raw of content.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const match = pattern.exec(line);
    if (match) found = { line, value: unquote(match[1] ?? '') };
  }
  return found;
}

function unquote(value: string): string {
  const quoted = /^(["'])(.*)\1$/.exec(value);
  return quoted ? (quoted[2] ?? '') : value.replace(/\s+#.*$/, '');
}
