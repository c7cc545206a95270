/**
 * A uv workspace member: a directory above holds the workspace (`[tool.uv.workspace]` in its
 * pyproject.toml, with uv.lock) and lists this project among its members. uv then locks and
 * installs from that root, into the root's .venv.
 */
import { relative } from 'node:path';
import { ancestorsWithinRepository } from '../../../detectors/ancestors.js';
import { asObject, ProjectFiles } from '../../../detectors/project-files.js';

export interface UvWorkspace {
  root: string;
  says: string;
}

export async function findUvWorkspace(project: string): Promise<UvWorkspace | null> {
  for (const dir of (await ancestorsWithinRepository(project)).slice(1)) {
    const files = new ProjectFiles(dir);
    const workspace = asObject(asObject(asObject((await files.toml('pyproject.toml'))?.tool)?.uv)?.workspace);
    if (workspace === null) continue;
    const member = relative(dir, project).split('\\').join('/');
    const listed = (patterns: unknown): boolean => Array.isArray(patterns) && patterns.some((p) => typeof p === 'string' && globMatches(p, member));
    if (!listed(workspace.members) || listed(workspace.exclude)) return null;
    if (!(await files.isFile('uv.lock')) && !(await files.isDirectory('.venv'))) return null;
    return { root: dir, says: `the uv workspace in ${relative(project, dir)}/ lists ${member} as a member` };
  }
  return null;
}

/** uv's member globs: `*` within one path segment, `**` across segments. */
function globMatches(pattern: string, path: string): boolean {
  const source = pattern
    .replace(/\/+$/, '')
    .split('/')
    .map((segment) => (segment === '**' ? '.*' : segment.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')))
    .join('/');
  return new RegExp(`^${source}$`).test(path);
}
