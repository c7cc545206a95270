/**
 * The key, URL and release a project's build gives its page, for `sourcemaps upload`: the maps
 * must be keyed as the page's events are. Read the way the build reads them: the environment
 * first, then the env files the build loads (a Vite app's VITE_EZ_PIXEL_* in .env.production,
 * .env…), then the values the init file holds as fallback. A project that cannot be detected
 * still has EZ_PIXEL_* (the environment, .env).
 */
import { join } from 'node:path';
import { detect } from '../detectors/index.js';
import { locating } from '../doctor/context.js';
import { ENV_FILE, SERVER_ENV_VARIABLES, readEnvVariable, type EnvVariables } from '../plan/dotenv.js';
import { platformOf } from '../platforms/index.js';
import { readText } from '../read-text.js';
import { initWiringFor, readInitSettings } from '../templates/index.js';

export interface Setting {
  value: string;
  /** Where it was found, for a message: `VITE_EZ_PIXEL_PROJECT_KEY in .env.production`. */
  from: string;
}

export interface BuildSettings {
  projectKey: Setting | null;
  ingestUrl: Setting | null;
  release: Setting | null;
  /** The variables looked at, for the message when a setting is missing. */
  variables: EnvVariables;
}

export async function readBuildSettings(cwd: string): Promise<BuildSettings> {
  const detection = await detect(cwd, { exactDir: true }).catch(() => null);
  const project = detection?.kind === 'project' ? detection.project : null;
  const variables = project ? platformOf(project).envVariables(project) : SERVER_ENV_VARIABLES;
  const files = variables.buildFiles ?? [ENV_FILE];
  const texts = await Promise.all(files.map((file) => readText(join(cwd, file))));
  const lookUp = (variable: string | undefined): Setting | null => {
    if (variable === undefined) return null;
    const set = process.env[variable];
    if (set) return { value: set, from: `$${variable}` };
    for (const [index, text] of texts.entries()) {
      const value = readEnvVariable(text, variable)?.value;
      if (value) return { value, from: `${variable} in ${files[index]}` };
    }
    return null;
  };
  const initFile = project ? initWiringFor(project, locating).initFile : null;
  const initSource = initFile ? await readText(join(cwd, initFile)) : null;
  const init = initSource === null ? {} : readInitSettings(initSource);
  const fromInit = (value: string | undefined): Setting | null => (value ? { value, from: initFile! } : null);
  return {
    projectKey: lookUp(variables.key) ?? fromInit(init.projectKey),
    ingestUrl: lookUp(variables.url) ?? fromInit(init.ingestUrl),
    release: lookUp(variables.release),
    variables,
  };
}
