/**
 * Which project key and ingest URL an install uses. An existing key (from install.json, the
 * init file or .env) is kept; a different `--key` is a conflict the command must resolve (an
 * interactive confirmation, or a refusal under --yes), never a silent rotation.
 */
import { checkIngestUrl, DEFAULT_INGEST_URL, generateProjectKey, isProjectKey } from '../key.js';
import type { InitSettings } from '../templates/index.js';

export interface KnownSettings {
  /** Where an existing key was found, for the message ("the init file", ".env"). */
  keyFrom: string | null;
  projectKey: string | null;
  ingestUrl: string | null;
}

export interface RequestedSettings {
  key?: string;
  ingestUrl?: string;
  /** The user confirmed replacing an existing key with `key`. */
  replaceKey?: boolean;
}

export type SettingsChoice =
  | { kind: 'settings'; settings: InitSettings; generatedKey: boolean }
  | { kind: 'key-conflict'; existing: string; requested: string; foundIn: string };

/** Merges what the project already holds (the first well-formed value wins) into one KnownSettings. */
export function mergeKnown(sources: { from: string; projectKey?: string | null; ingestUrl?: string | null }[]): KnownSettings {
  const keySource = sources.find((source) => source.projectKey && isProjectKey(source.projectKey));
  return {
    keyFrom: keySource?.from ?? null,
    projectKey: keySource?.projectKey ?? null,
    ingestUrl: sources.find((source) => source.ingestUrl && checkIngestUrl(source.ingestUrl).ok)?.ingestUrl ?? null,
  };
}

export function chooseSettings(known: KnownSettings, requested: RequestedSettings): SettingsChoice {
  const ingestUrl = requested.ingestUrl ?? known.ingestUrl ?? DEFAULT_INGEST_URL;
  if (requested.key && known.projectKey && requested.key !== known.projectKey && !requested.replaceKey) {
    return { kind: 'key-conflict', existing: known.projectKey, requested: requested.key, foundIn: known.keyFrom ?? 'the project' };
  }
  const projectKey = requested.key ?? known.projectKey;
  if (projectKey) return { kind: 'settings', settings: { projectKey, ingestUrl }, generatedKey: false };
  return { kind: 'settings', settings: { projectKey: generateProjectKey(), ingestUrl }, generatedKey: true };
}
