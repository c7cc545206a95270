/**
 * The project key and ingest URL live in an init file as two fallback constants holding JSON string
 * literals (valid JavaScript, TypeScript and Python). Reading and rewriting touch only those literals.
 */
import type { InitSettings } from './index.js';

const constantNames: Record<keyof InitSettings, string[]> = {
  projectKey: ['fallbackProjectKey', 'FALLBACK_PROJECT_KEY'],
  ingestUrl: ['fallbackIngestUrl', 'FALLBACK_INGEST_URL'],
};

/** `name = "literal"` (an optional TS `: string` annotation allowed); group 2 is the literal. A formatter
 *  set to single quotes (prettier's singleQuote) may have made it `'literal'`: read either. */
function constantPattern(names: string[]): RegExp {
  return new RegExp(`(\\b(?:${names.join('|')})\\s*(?::\\s*string\\s*)?=\\s*)("(?:[^"\\\\\\r\\n]|\\\\.)*"|'(?:[^'\\\\\\r\\n]|\\\\.)*')`);
}

/** A single-quoted JS literal read as the JSON string it would be with double quotes. */
function asJson(literal: string): string {
  if (!literal.startsWith("'")) return literal;
  return `"${literal.slice(1, -1).replace(/\\'/g, "'").replace(/"/g, '\\"')}"`;
}

/** A value as the init file writes it: a JSON string literal, safe inside JS, TS and Python source. */
export function stringLiteral(value: string): string {
  // JSON leaves U+2028/U+2029 raw; older JS engines reject them inside string literals.
  return JSON.stringify(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function readSettings(content: string): Partial<InitSettings> {
  const settings: Partial<InitSettings> = {};
  for (const key of Object.keys(constantNames) as (keyof InitSettings)[]) {
    const literal = constantPattern(constantNames[key]).exec(content)?.[2];
    if (literal === undefined) continue;
    try {
      const value: unknown = JSON.parse(asJson(literal));
      if (typeof value === 'string') settings[key] = value;
    } catch {
      // a literal JSON cannot read (e.g. a Python-only escape): leave the setting unknown
    }
  }
  return settings;
}

/** A value in single quotes when it can be written so as it is, else the JSON literal. */
export function singleQuotedLiteral(value: string): string {
  return /^[^'\\\r\n\u2028\u2029]*$/.test(value) ? `'${value}'` : stringLiteral(value);
}

/** The new values in the quotes the old literals had (a project's lint may ask for single quotes). */
export function updateSettings(content: string, settings: InitSettings): string {
  let updated = content;
  for (const key of Object.keys(constantNames) as (keyof InitSettings)[]) {
    updated = updated.replace(constantPattern(constantNames[key]), (_match, head: string, old: string) =>
      head + (old.startsWith("'") ? singleQuotedLiteral(settings[key]) : stringLiteral(settings[key])));
  }
  return updated;
}
