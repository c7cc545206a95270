/** How doctor's probe runs a Python init: as a script in the environment the app runs in, with the project root on sys.path. */
import { join } from 'node:path';
import type { DoctorContext } from '../../../doctor/context.js';
import type { ProbeRun } from '../../platform.js';
import { pythonInEnvironment } from '../environment.js';

const PYTHON_RUNNER = 'import runpy, sys; sys.path.insert(0, sys.argv[1]); runpy.run_path(sys.argv[2], run_name="ez_pixel_init")';

export async function pythonProbeRun({ project, wiring }: DoctorContext): Promise<ProbeRun> {
  const { argv, env } = pythonInEnvironment(project, ['-c', PYTHON_RUNNER, project.root, join(project.root, wiring.initFile)]);
  return { argv, env, cleanup: async () => {} };
}
