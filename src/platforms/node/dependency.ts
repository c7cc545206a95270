/** A JS SDK as a dependency (Node's, the browser's): declared in package.json, added by the package manager's own command. */
import { addCommand, dependencySpec, type SdkSource } from '../../package-managers/commands.js';
import { asObject } from '../../detectors/project-files.js';
import type { Project } from '../../project.js';
import type { PlannedDeclaration } from '../platform.js';
import { nodeSdk } from './sdk.js';

/** Whether a package.json text declares `sdk` (read as JSON, never as text). */
export function declaresJsPackage(sdk: string): (manifestPath: string, text: string) => boolean {
  return (_manifestPath, text) => {
    try {
      const manifest = JSON.parse(text) as Record<string, unknown>;
      return ['dependencies', 'devDependencies', 'optionalDependencies'].some((field) => (asObject(manifest[field]) ?? {})[sdk] !== undefined);
    } catch {
      return false;
    }
  };
}

export const nodeDeclaresSdk = declaresJsPackage(nodeSdk.name);

/** package.json's JSON syntax error, or null. */
export function jsonProblem(manifestPath: string, text: string): { message: string; fix: string } | null {
  try {
    JSON.parse(text);
    return null;
  } catch (error) {
    return { message: (error as Error).message, fix: `fix the JSON syntax of ${manifestPath}` };
  }
}

export function nodeDeclaration(project: Project, source: SdkSource): PlannedDeclaration {
  const command = addCommand(project, source);
  return { spec: dependencySpec(project, source), commands: command ? [command] : [], edits: [], lines: [], manifests: [], notes: [] };
}
