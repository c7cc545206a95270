/**
 * The `.env` variables install writes: reading an existing value (so a key is never rotated
 * silently) and the exact line written for a value.
 *
 * Values are written in single quotes, which a POSIX shell (`set -a; . ./.env`), dotenv for Node
 * and python-dotenv all read literally, with three exceptions this module refuses: a single quote
 * (it would end the quoting), a backslash (python-dotenv reads \\ and \' as escapes) and `${`
 * (python-dotenv expands ${VAR} even in single quotes); whitespace and control characters too.
 */

export const ENV_FILE = '.env';
export const KEY_VARIABLE = 'EZ_PIXEL_PROJECT_KEY';
export const URL_VARIABLE = 'EZ_PIXEL_INGEST_URL';

/** The names a project's .env gives the key and URL (a bundler exposes only prefixed ones to a page). */
export interface EnvVariables {
  key: string;
  url: string;
  /** The variable that turns the SDK off for a run (a page has no environment of its own to read one from). */
  off?: string;
  /** The variable the build takes the release from, when the init reads one. */
  release?: string;
  /** The env files a production build reads, the one that wins first (default: just .env). */
  buildFiles?: readonly string[];
}

export const SERVER_ENV_VARIABLES: EnvVariables = { key: KEY_VARIABLE, url: URL_VARIABLE, off: 'EZ_PIXEL_DISABLED' };

export function envLine(variable: string, value: string): string {
  return `${variable}='${value}'`;
}

/** What a single-quoted value must not hold, and how to say it. */
const NOT_LITERAL: [RegExp, string][] = [
  [/'/, 'a single quote'],
  [/\\/, 'a backslash'],
  [/\$\{/, '"${"'],
  [/[\s\p{Cc}]/u, 'whitespace or a control character'],
];

/** Why `value` cannot be written as a literal .env value (see above), or null when it can. */
export function envValueProblem(variable: string, value: string): string | null {
  const found = NOT_LITERAL.find(([pattern]) => pattern.test(value));
  if (!found) return null;
  return `${variable} ${JSON.stringify(value)} holds ${found[1]}, which a shell or a dotenv parser reading .env would not take literally; choose a value without it`;
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
  // A quoted value may be followed by a comment, as dotenv allows: EZ_PIXEL_INGEST_URL="…" # prod
  const quoted = /^(["'])(.*?)\1(?:\s+#.*)?$/.exec(value);
  return quoted ? (quoted[2] ?? '') : value.replace(/\s+#.*$/, '');
}
