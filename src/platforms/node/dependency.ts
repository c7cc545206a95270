/** A JS SDK as a dependency (Node's, the browser's): declared in package.json, added by the package manager's own command. */
import { addCommand, dependencySpec, type SdkSource } from '../../package-managers/commands.js';
import { asObject } from '../../detectors/project-files.js';
import type { Project } from '../../project.js';
import type { PlannedDeclaration, SdkPackage } from '../platform.js';
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

/** `packageName`: a companion's (the browser SDK of a full-stack framework); the Node SDK by default. */
export const nodeDeclaresSdk = (manifestPath: string, text: string, packageName: string = nodeSdk.name): boolean => declaresJsPackage(packageName)(manifestPath, text);

/** package.json's JSON syntax error, or null. */
export function jsonProblem(manifestPath: string, text: string): { message: string; fix: string } | null {
  try {
    JSON.parse(text);
    return null;
  } catch (error) {
    return { message: (error as Error).message, fix: `fix the JSON syntax of ${manifestPath}` };
  }
}

/** One command adds every package asked for (the Node SDK, and a full-stack framework's browser SDK). */
export function nodeDeclaration(project: Project, source: SdkSource, packages: SdkPackage[]): PlannedDeclaration {
  const command = addCommand(project, source, packages);
  return { spec: dependencySpec(project, source), commands: command ? [command] : [], edits: [], lines: [], manifests: [], notes: [] };
}
