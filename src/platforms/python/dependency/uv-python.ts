/**
 * uv runs every command with a Python the project accepts (`.python-version`, `requires-python`)
 * and downloads one when none is installed. Where that download cannot happen (no network to
 * python-build-standalone), `uv add` fails with uv's download error or a pyenv shim's complaint,
 * which do not say what to do. When uv finds no such Python here before install runs, a failing
 * `uv add` is explained with the project's own requirement (found on fastapi/full-stack-fastapi-template,
 * which asks for 3.14).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { execa } from 'execa';
import type { Project } from '../../../project.js';
import { ProjectFiles, asObject, asString } from '../../../detectors/project-files.js';

/** The nearest .python-version from the project up to the workspace root (uv reads it there too). */
function pythonVersionFile(project: Project): { path: string; version: string } | null {
  const top = project.workspaceRoot ?? project.root;
  for (let dir = project.root; ; dir = dirname(dir)) {
    const path = join(dir, '.python-version');
    if (existsSync(path)) return { path: relative(project.root, path) || '.python-version', version: readFileSync(path, 'utf8').split(/\r?\n/)[0]!.trim() };
    if (dir === top || dirname(dir) === dir) return null;
  }
}

/** What `uv add` will fail on when it has to download the Python, or null when uv finds one here. */
export async function uvPythonMissing(project: Project): Promise<string | null> {
  const find = await execa('uv', ['python', 'find'], { cwd: project.root, reject: false, timeout: 20_000, env: { UV_PYTHON_DOWNLOADS: 'never' } });
  const uvMissing = find.exitCode === undefined; // uv itself did not start: uv add says so
  if (find.exitCode === 0 || uvMissing) return null;
  const requires = asString(asObject((await new ProjectFiles(project.root).toml('pyproject.toml'))?.project)?.['requires-python']);
  const versionFile = pythonVersionFile(project);
  const wants = [
    versionFile ? `${versionFile.path} says ${versionFile.version}` : null,
    requires ? `pyproject.toml requires-python ${JSON.stringify(requires)}` : null,
  ].filter((part): part is string => part !== null);
  const install = versionFile ? `uv python install ${versionFile.version}` : 'uv python install';
  return (
    `uv needs Python ${versionFile?.version ?? requires ?? ''} for this project${wants.length > 0 ? ` (${wants.join('; ')})` : ''}, ` +
    `none is installed on this machine, and uv could not download one. Install it (${install}, or your system's package), ` +
    `check that the project's own uv sync works, then run ez-pixel install again`
  );
}
