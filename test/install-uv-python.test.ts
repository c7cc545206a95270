// A uv project asking for a Python this machine does not have and uv cannot download (found on
// fastapi/full-stack-fastapi-template, which asks for 3.14 where only 3.11 is installed and
// python-build-standalone is out of reach): real uv fails, install exits 4 saying which Python the
// project asks for and where, and every byte is as before.
import { afterAll, describe, expect, it } from 'vitest';
import { makeProject, removeFixtureCopies } from './helpers/fixtures.js';
import { git, runCli, treeDifferences, treeFingerprint } from './install-helpers.js';

afterAll(removeFixtureCopies);

describe('uv without the Python the project asks for', () => {
  it('exits 4 naming .python-version and requires-python, and changes nothing', async () => {
    const dir = await makeProject('uv-python-missing', {
      '.python-version': '3.99\n',
      'pyproject.toml': '[project]\nname = "api"\nversion = "0.1.0"\nrequires-python = ">=3.99"\ndependencies = []\n\n[tool.uv]\npackage = false\n',
      'main.py': 'print("hello")\n',
    });
    const before = treeFingerprint(dir);
    const run = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', 'http://127.0.0.1:9/ingest'], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(4);
    expect(run.stderr).toContain('uv add ./.ez-pixel/ez_pixel-0.2.0-py3-none-any.whl failed');
    expect(run.stderr).toContain(
      'ez-pixel: uv needs Python 3.99 for this project (.python-version says 3.99; pyproject.toml requires-python ">=3.99"), ' +
        'none is installed on this machine, and uv could not download one. Install it (uv python install 3.99, or your system\'s package), ' +
        "check that the project's own uv sync works, then run ez-pixel install again; every file was restored to what it was before",
    );
    expect(treeDifferences(before, treeFingerprint(dir))).toEqual([]);
    expect(await git(dir, ['status', '--porcelain', '--untracked-files=all'])).toBe('');
  });
});
