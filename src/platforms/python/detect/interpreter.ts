/**
 * The Python to parse entries with and install into: the project's own virtualenv (.venv, venv; a uv
 * workspace member's is at the workspace root),
 * else the active one (VIRTUAL_ENV), else python3 from PATH, always as an absolute path.
 */
import { access, constants } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import type { Evidence } from '../../../project.js';
import type { Finding } from '../../../detectors/types.js';

const projectVirtualenvs = ['.venv', 'venv'];
const isWindows = process.platform === 'win32';
const venvPython = isWindows ? ['Scripts', 'python.exe'] : ['bin', 'python'];
const pathPythons = isWindows ? ['python.exe', 'python3.exe'] : ['python3'];

export async function findInterpreter(root: string, env: NodeJS.ProcessEnv = process.env, workspaceRoot?: string): Promise<Finding<string | null>> {
  // A uv workspace member runs in the workspace root's .venv.
  const where = workspaceRoot ? { dir: workspaceRoot, whose: 'the uv workspace' } : { dir: root, whose: "the project's" };
  for (const venv of projectVirtualenvs) {
    const python = join(where.dir, venv, ...venvPython);
    if (await isExecutable(python)) return finding(python, `${venv}/ is ${where.whose} virtualenv`);
  }
  const active = env.VIRTUAL_ENV;
  if (active && isAbsolute(active)) {
    const python = join(active, ...venvPython);
    if (await isExecutable(python)) return finding(python, `VIRTUAL_ENV is ${active}`);
  }
  for (const dir of (env.PATH ?? '').split(delimiter).filter(isAbsolute)) {
    for (const name of pathPythons) {
      const python = join(dir, name);
      if (await isExecutable(python)) return finding(python, `no virtualenv: ${name} from PATH`);
    }
  }
  return { value: null, evidence: [{ about: 'runtime', says: 'no virtualenv and no python3 on PATH' }] };
}

function finding(python: string, says: string): Finding<string> {
  const evidence: Evidence[] = [{ about: 'runtime', says: `interpreter ${python}: ${says}` }];
  return { value: python, evidence };
}

async function isExecutable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(() => true, () => false);
}
