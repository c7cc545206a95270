/**
 * What the Node detectors read once and share: package.json, its dependency names, tsconfig and
 * whether the project is written in TypeScript.
 */
import type { Evidence } from '../../../project.js';
import { asObject, type JsonObject, type ProjectFiles } from '../../../detectors/project-files.js';
import { readTsConfig, type TsConfig } from './tsconfig.js';

export interface NodeFacts {
  files: ProjectFiles;
  pkg: JsonObject;
  /** Names from dependencies, devDependencies, peerDependencies and optionalDependencies. */
  dependencies: Set<string>;
  /** Names from dependencies and optionalDependencies: what the app runs with. A framework only in
   *  devDependencies (express for the tests' mock server) is not the app's framework. */
  runtimeDependencies: Set<string>;
  tsconfig: TsConfig | null;
  typescript: boolean;
  typescriptEvidence: Evidence[];
  /** Manifests that exist but do not parse: detection goes on without them, and says so. */
  unreadable: Evidence[];
}

const dependencyFields = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];

export async function readNodeFacts(files: ProjectFiles): Promise<NodeFacts> {
  const [pkg, tsconfig] = await Promise.all([files.json('package.json'), readTsConfig(files)]);
  const manifest = pkg ?? {};
  const unreadable: Evidence[] = [];
  if (!pkg && (await files.text('package.json')) !== null) {
    unreadable.push({ about: 'runtime', says: 'package.json is not a JSON object: its fields were ignored' });
  }
  const namesIn = (fields: string[]): Set<string> => new Set(fields.flatMap((field) => Object.keys(asObject(manifest[field]) ?? {})));
  const dependencies = namesIn(dependencyFields);
  const typescriptEvidence: Evidence[] = [];
  if (tsconfig) typescriptEvidence.push({ about: 'typescript', says: `${tsconfig.file} exists` });
  if (dependencies.has('typescript')) typescriptEvidence.push({ about: 'typescript', says: 'package.json depends on typescript' });
  return {
    files,
    pkg: manifest,
    dependencies,
    runtimeDependencies: namesIn(['dependencies', 'optionalDependencies']),
    tsconfig,
    typescript: typescriptEvidence.length > 0,
    typescriptEvidence,
    unreadable,
  };
}
