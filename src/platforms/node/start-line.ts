/** install's "Next steps" line for a Node project: how the wired app starts. */
import { join } from 'node:path';
import { asObject } from '../../detectors/project-files.js';
import type { Project } from '../../project.js';
import { readText } from '../../read-text.js';
import { scriptRun } from './detect/start-scripts.js';
import { routerOf } from './frameworks/routers.js';
import { nodeBuildCommand, nodeStartCommand } from './package-managers.js';

export async function nodeStartLine(project: Project): Promise<string> {
  const build = nodeBuildCommand(project.packageManager);
  const start = nodeStartCommand(project.packageManager);
  // Next, React Router and Remix serve their last build, which holds no init until it is built again.
  if (project.framework === 'next' || routerOf(project.framework)) return `${build} && ${start}`;
  if (project.framework !== 'sveltekit' && project.framework !== 'nuxt') return start;
  // SvelteKit's hooks and Nuxt's server plugin are bundled into the build, which a start script
  // runs when the app has one (the sv and nuxi templates have none).
  let pkg: Record<string, unknown> | null = null;
  try {
    pkg = asObject(JSON.parse((await readText(join(project.root, 'package.json'))) ?? 'null'));
  } catch {
    // an unreadable package.json: the manifest check says so; the default line stands
  }
  if (pkg && scriptRun(pkg, 'start')) return `${build} && ${start}`;
  if (project.framework === 'nuxt') return `${build} && node .output/server/index.mjs`;
  // adapter-node's server is build/index.js, started by `node build`.
  const adapterNode = ['dependencies', 'devDependencies'].some((field) => asObject(pkg?.[field])?.['@sveltejs/adapter-node'] !== undefined);
  return adapterNode ? `${build} && node build` : `${build}, then start it the way its adapter runs it (npm run preview tries it locally)`;
}
