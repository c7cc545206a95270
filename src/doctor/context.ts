/**
 * What every check reads: the detected Project, where install puts the init, what the init file
 * and .env hold. Built once, so no check reads a file another already read.
 */
import { join } from 'node:path';
import { ENV_FILE, readEnvVariable, type EnvVariables } from '../plan/dotenv.js';
import type { Project } from '../project.js';
import { readText } from '../read-text.js';
import { platformOf } from '../platforms/index.js';
import { initWiringFor, readInitSettings, type InitSettings, type InitWiring } from '../templates/index.js';

export interface DoctorOptions {
  /** Run the live probe (false with --no-send). */
  send: boolean;
  /** --ingest-url: check and probe this URL instead of the configured one. */
  ingestUrl?: string;
  /** --key: the key the configuration should hold. */
  key?: string;
}

export interface DoctorContext {
  project: Project;
  wiring: InitWiring;
  /** The init file's text, or null when it does not exist. */
  initSource: string | null;
  /** The key and URL written into the init file. */
  initSettings: Partial<InitSettings>;
  /** The init reads EZ_PIXEL_* from .env before its own fallback values (the Node and Python inits do). */
  readsDotenv: boolean;
  /** The names .env gives the key and URL in this project (EZ_PIXEL_*, or VITE_EZ_PIXEL_* for a Vite app). */
  variables: EnvVariables;
  /** Their values in .env (null when absent). */
  env: { projectKey: string | null; ingestUrl: string | null };
  /** The URL to check: --ingest-url, else the one the app uses (.env's when the init reads it, else the init file's), else .env's. */
  ingestUrl: string | null;
  options: DoctorOptions;
}

// Placeholder values only locate the files; the real ones are read from them.
export const locating: InitSettings = { projectKey: 'pk_live_locating', ingestUrl: 'http://127.0.0.1/ingest' };

export async function buildContext(project: Project, options: DoctorOptions): Promise<DoctorContext> {
  const wiring = initWiringFor(project, locating);
  const [initSource, envText] = await Promise.all([
    readText(join(project.root, wiring.initFile)),
    readText(join(project.root, ENV_FILE)),
  ]);
  const initSettings = initSource === null ? {} : readInitSettings(initSource);
  const variables = platformOf(project).envVariables(project);
  const env = {
    projectKey: readEnvVariable(envText, variables.key)?.value ?? null,
    ingestUrl: readEnvVariable(envText, variables.url)?.value ?? null,
  };
  // What the app would use: an init that reads .env takes its URL before its own fallback.
  const readsDotenv = initSource?.includes(platformOf(project).dotenvReader) === true;
  const ingestUrl = options.ingestUrl ?? (readsDotenv ? env.ingestUrl : null) ?? initSettings.ingestUrl ?? env.ingestUrl ?? null;
  return { project, wiring, initSource, initSettings, readsDotenv, variables, env, ingestUrl, options };
}
