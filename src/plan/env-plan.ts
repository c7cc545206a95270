/**
 * The `.env` part of an install plan: our two lines are appended once, updated in place on a
 * re-run with a new value, and any line we did not write is left alone (with a note).
 */
import type { InitSettings } from '../templates/index.js';
import { ENV_FILE, envLine, envValueProblem, readEnvVariable, type EnvVariables } from './dotenv.js';
import { appendLine, replaceLine } from './line-file.js';
import type { FileEdit } from './plan.js';
import type { InstallState } from './state.js';

type Line = InstallState['lines'][number];

/** Why the settings cannot go into .env as literal values (dotenv.ts), or null when they can. */
export function envSettingsProblem(settings: InitSettings, variables: EnvVariables): string | null {
  return envValueProblem(variables.key, settings.projectKey) ?? envValueProblem(variables.url, settings.ingestUrl);
}

export function planEnvLines(
  original: string | null,
  settings: InitSettings,
  previousLines: Line[],
  variables: EnvVariables,
): { edit: FileEdit | null; lines: Line[]; notes: string[] } {
  let text = original;
  const lines: Line[] = [];
  const notes: string[] = [];
  const wanted: [string, string][] = [
    [variables.key, settings.projectKey],
    [variables.url, settings.ingestUrl],
  ];
  for (const [variable, value] of wanted) {
    const line = envLine(variable, value);
    const existing = readEnvVariable(text, variable);
    const ours = previousLines.find((known) => known.file === ENV_FILE && known.line.startsWith(`${variable}=`));
    if (existing === null) {
      text = appendLine(text, line);
      lines.push({ file: ENV_FILE, line, createdFile: original === null || (ours?.createdFile ?? false) });
    } else if (ours && existing.line === ours.line) {
      // An unchanged value keeps the line as it is (one written unquoted by an older ez-pixel too).
      if (existing.value === value) lines.push(ours);
      else {
        text = replaceLine(text as string, ours.line, line);
        lines.push({ ...ours, line });
      }
    } else if (existing.value !== value) {
      notes.push(`${ENV_FILE} already sets ${variable} (a line ez-pixel did not write); left alone. The init file uses ${value}`);
      if (ours) lines.push(ours);
    } else if (ours) {
      lines.push(ours);
    }
  }
  return { edit: text === original ? null : { path: ENV_FILE, before: original, after: text }, lines, notes };
}
