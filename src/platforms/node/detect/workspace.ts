/**
 * JS workspaces: a directory with pnpm-workspace.yaml or a package.json `workspaces` field whose
 * patterns cover the project. Members are listed by expanding each pattern one directory level
 * (`packages/*`), never by walking the tree.
 */
import { relative } from 'node:path';
import type { Evidence } from '../../../project.js';
import { ancestorsWithinRepository } from '../../../detectors/ancestors.js';
import { asObject, asString, ProjectFiles } from '../../../detectors/project-files.js';
import type { Finding } from '../../../detectors/types.js';

interface WorkspaceDeclaration {
  file: string;
  patterns: string[];
}

export async function findWorkspaceRoot(root: string): Promise<Finding<string> | null> {
  for (const dir of await ancestorsWithinRepository(root)) {
    const declaration = await readDeclaration(new ProjectFiles(dir));
    if (!declaration) continue;
    const member = relative(dir, root).replace(/\\/g, '/');
    const evidence: Evidence[] = [{ about: 'workspace', says: member ? `${member} is a member of the workspace ${declaration.file} declares` : `${declaration.file} declares a workspace here` }];
    if (!member || declaration.patterns.some((pattern) => globToRegExp(pattern).test(member))) {
      return { value: dir, evidence };
    }
  }
  return null;
}

/** The members of the workspace rooted at `files.root` (relative dirs holding package.json), or null when it is none. */
export async function workspaceMembers(files: ProjectFiles): Promise<string[] | null> {
  const declaration = await readDeclaration(files);
  if (!declaration) return null;
  const members = new Set<string>();
  for (const pattern of declaration.patterns) {
    const parts = pattern.replace(/\/+$/, '').split('/');
    const starAt = parts.findIndex((part) => part.includes('*'));
    const parent = starAt === -1 ? parts.slice(0, -1).join('/') : parts.slice(0, starAt).join('/');
    const names = starAt === -1 ? [parts.at(-1)!] : (await files.list(parent || '.')).filter((e) => e.isDirectory()).map((e) => e.name);
    for (const name of names) {
      const dir = parent ? `${parent}/${name}` : name;
      if (name !== 'node_modules' && globToRegExp(pattern).test(dir) && (await files.isFile(`${dir}/package.json`))) members.add(dir);
    }
  }
  return [...members].sort();
}

async function readDeclaration(files: ProjectFiles): Promise<WorkspaceDeclaration | null> {
  const pnpm = await files.text('pnpm-workspace.yaml');
  if (pnpm !== null) return { file: 'pnpm-workspace.yaml', patterns: pnpmPatterns(pnpm) };
  const pkg = await files.json('package.json');
  const field = pkg?.workspaces;
  const list = Array.isArray(field) ? field : asObject(field)?.packages;
  if (!Array.isArray(list)) return null;
  return { file: 'package.json workspaces', patterns: list.map(asString).filter((p): p is string => p !== null && !p.startsWith('!')) };
}

/** The `packages:` list of pnpm-workspace.yaml (block style, the form pnpm writes and documents). */
function pnpmPatterns(yaml: string): string[] {
  const patterns: string[] = [];
  let inPackages = false;
  for (const line of yaml.split(/\r?\n/)) {
    if (/^packages\s*:/.test(line)) inPackages = true;
    else if (/^\S/.test(line)) inPackages = false;
    else if (inPackages) {
      const item = /^\s*-\s*['"]?([^'"#]+?)['"]?\s*(#.*)?$/.exec(line)?.[1];
      if (item && !item.startsWith('!')) patterns.push(item.replace(/^\.\//, ''));
    }
  }
  return patterns;
}

function globToRegExp(pattern: string): RegExp {
  const source = pattern
    .replace(/^\.\//, '')
    .replace(/\/+$/, '')
    .split('/')
    .map((part) => (part === '**' ? '.*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')))
    .join('/');
  return new RegExp(`^${source}$`);
}
