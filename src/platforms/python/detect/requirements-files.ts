/**
 * The pip requirements files a project keeps: requirements*.txt at the root and *.txt in a
 * requirements/ directory (the cookiecutter-django layout), the one the SDK belongs in first:
 * 1. the one the deploy installs from (`-r file` in a Procfile, Dockerfile or CI workflow);
 * 2. else the base every other file includes (`-r base.txt`, followed through the includes);
 * 3. else by name: requirements.txt, then production/base-like names, dev and test files last.
 */
import { posix } from 'node:path';
import type { ProjectFiles } from '../../../detectors/project-files.js';

const atRoot = /^requirements.*\.txt$/i;
const inDirectory = /\.txt$/i;
const deployFiles = ['Procfile', 'Dockerfile', 'Containerfile', 'docker/Dockerfile', 'render.yaml', 'app.yaml', 'fly.toml', 'bin/post_compile'];
const workflowDirs = ['.github/workflows'];
const byName = [/^requirements\.txt$/, /(^|[/-])(prod|production|deploy|base|common|main)\.txt$/i, /./, /(dev|test|tests|lint|docs?|local|ci)\.txt$/i];

export async function findRequirementsFiles(files: ProjectFiles): Promise<string[]> {
  const [root, directory] = await Promise.all([files.list(), files.list('requirements')]);
  const found = [
    ...root.filter((e) => e.isFile() && atRoot.test(e.name)).map((e) => e.name),
    ...directory.filter((e) => e.isFile() && inDirectory.test(e.name)).map((e) => `requirements/${e.name}`),
  ];
  const deployed = await deployedRequirements(files, found);
  const reach = await includedBy(files, found);
  const nameRank = (file: string): number => byName.findIndex((pattern) => pattern.test(file.replace(/^requirements\//, '')));
  return found.sort(
    (a, b) => rankOf(deployed, a) - rankOf(deployed, b) || (reach.get(b) ?? 0) - (reach.get(a) ?? 0) || nameRank(a) - nameRank(b) || a.localeCompare(b),
  );
}

function rankOf(list: string[], file: string): number {
  const index = list.indexOf(file);
  return index === -1 ? list.length : index;
}

/** Requirements files named with `-r` (or `--requirement`) by the deploy's own files, in the order found. */
async function deployedRequirements(files: ProjectFiles, found: string[]): Promise<string[]> {
  const workflows = (await Promise.all(workflowDirs.map(async (dir) => (await files.list(dir)).filter((e) => e.isFile() && /\.ya?ml$/.test(e.name)).map((e) => `${dir}/${e.name}`)))).flat();
  const named: string[] = [];
  for (const file of [...deployFiles, ...workflows]) {
    const text = (await files.text(file)) ?? '';
    for (const match of text.matchAll(/(?:-r|--requirement)[=\s]+["']?([\w./-]+\.txt)/g)) {
      const path = posix.normalize((match[1] as string).replace(/^\/(app|code|usr\/src\/app)\//, ''));
      if (found.includes(path) && !named.includes(path)) named.push(path);
    }
  }
  return named;
}

/** How many other requirements files install each one through their `-r` includes. */
async function includedBy(files: ProjectFiles, found: string[]): Promise<Map<string, number>> {
  const includes = new Map<string, string[]>();
  for (const file of found) {
    const text = (await files.text(file)) ?? '';
    const named = [...text.matchAll(/^\s*(?:-r|--requirement)[=\s]+(\S+)/gm)].map((m) => posix.normalize(posix.join(posix.dirname(file), m[1] as string)));
    includes.set(file, named);
  }
  const reach = new Map<string, number>();
  for (const file of found) {
    const seen = new Set<string>();
    const visit = (current: string): void => {
      for (const next of includes.get(current) ?? []) {
        if (seen.has(next) || next === file) continue;
        seen.add(next);
        visit(next);
      }
    };
    visit(file);
    for (const reached of seen) reach.set(reached, (reach.get(reached) ?? 0) + 1);
  }
  return reach;
}
