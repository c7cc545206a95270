/**
 * Whether a manifest already declares the SDK, read as data by the project's platform (JSON for
 * package.json, TOML for pyproject.toml and Pipfile, requirement lines for requirements.txt), so a
 * mention of "ez-pixel" in, say, an author's e-mail address does not count.
 */
import { platformNamed } from '../platforms/index.js';
import type { Runtime } from '../project.js';

export function declaresSdk(runtime: Runtime, manifestPath: string, text: string): boolean {
  return platformNamed(runtime).declaresSdk(manifestPath, text);
}
