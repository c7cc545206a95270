/**
 * The pip requirements files a project keeps: requirements*.txt at the root and *.txt in a
 * requirements/ directory (the cookiecutter-django layout), the one the SDK belongs in first:
 * requirements.txt, then the shared base of a requirements/ directory.
 */
import type { ProjectFiles } from '../project-files.js';

const atRoot = /^requirements.*\.txt$/i;
const inDirectory = /\.txt$/i;
/** Most shared first: the SDK goes where every environment picks it up. */
const preferred = ['requirements.txt', 'requirements/base.txt', 'requirements/common.txt', 'requirements/production.txt', 'requirements/prod.txt'];

export async function findRequirementsFiles(files: ProjectFiles): Promise<string[]> {
  const [root, directory] = await Promise.all([files.list(), files.list('requirements')]);
  const found = [
    ...root.filter((e) => e.isFile() && atRoot.test(e.name)).map((e) => e.name),
    ...directory.filter((e) => e.isFile() && inDirectory.test(e.name)).map((e) => `requirements/${e.name}`),
  ];
  return found.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function rank(file: string): number {
  const index = preferred.indexOf(file);
  return index === -1 ? preferred.length : index;
}
