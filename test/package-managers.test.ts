// The command table as data: the argv each manager gets (never a shell string), the workspace-root
// flag, the pip interpreter, the files each may touch, and reading manifests to see whether the
// SDK is already declared.
import { describe, expect, it } from 'vitest';
import { addCommand, removeCommand } from '../src/package-managers/commands.js';
import { declaresSdk } from '../src/package-managers/declared.js';
import { PACKAGE_MANAGERS } from '../src/package-managers/table.js';
import type { PackageManager, Project } from '../src/project.js';

const artifact = { kind: 'artifact' as const, path: '.ez-pixel/sdk-file' };

function project(packageManager: PackageManager, extra: Partial<Project> = {}): Project {
  const python = !['npm', 'pnpm', 'yarn', 'yarn-berry', 'bun'].includes(packageManager);
  return {
    root: '/p/app', runtime: python ? 'python' : 'node', framework: python ? 'script' : 'plain', packageManager,
    workspaceRoot: null, moduleSystem: python ? null : 'cjs', typescript: false,
    manifest: python ? 'pyproject.toml' : 'package.json', interpreter: python ? '/p/app/.venv/bin/python' : null,
    entry: 'main', evidence: [], ...extra,
  };
}

describe('add and remove commands', () => {
  it.each([
    ['npm', ['npm', 'install', '--no-audit', '--no-fund', 'file:.ez-pixel/sdk-file'], ['npm', 'uninstall', '--no-audit', '--no-fund', '@ez-pixel/node']],
    ['pnpm', ['pnpm', 'add', 'file:.ez-pixel/sdk-file'], ['pnpm', 'remove', '@ez-pixel/node']],
    ['yarn', ['yarn', 'add', '--no-progress', 'file:.ez-pixel/sdk-file'], ['yarn', 'remove', '--no-progress', '@ez-pixel/node']],
    ['yarn-berry', ['yarn', 'add', '@ez-pixel/node@file:./.ez-pixel/sdk-file'], ['yarn', 'remove', '@ez-pixel/node']],
    ['bun', ['bun', 'add', 'file:.ez-pixel/sdk-file'], ['bun', 'remove', '@ez-pixel/node']],
    ['uv', ['uv', 'add', './.ez-pixel/sdk-file'], ['uv', 'remove', 'ez-pixel']],
    ['poetry', ['poetry', 'add', './.ez-pixel/sdk-file'], ['poetry', 'remove', 'ez-pixel']],
    ['pdm', ['pdm', 'add', './.ez-pixel/sdk-file'], ['pdm', 'remove', 'ez-pixel']],
    ['pipenv', ['pipenv', 'install', './.ez-pixel/sdk-file'], ['pipenv', 'uninstall', 'ez-pixel']],
    [
      'pip',
      ['/p/app/.venv/bin/python', '-m', 'pip', 'install', '--disable-pip-version-check', './.ez-pixel/sdk-file'],
      ['/p/app/.venv/bin/python', '-m', 'pip', 'uninstall', '--disable-pip-version-check', '--yes', 'ez-pixel'],
    ],
  ] as [PackageManager, string[], string[]][])('%s', (pm, add, remove) => {
    expect(addCommand(project(pm), artifact)?.argv).toEqual(add);
    expect(removeCommand(project(pm))?.argv).toEqual(remove);
    expect(addCommand(project(pm), artifact)?.cwd).toBe('/p/app');
  });

  it('hatch has no command: the dependency is a pyproject edit', () => {
    expect(addCommand(project('hatch'), artifact)).toBeNull();
    expect(removeCommand(project('hatch'))).toBeNull();
  });

  it('--from-registry installs by name', () => {
    expect(addCommand(project('npm'), { kind: 'registry' })?.argv.at(-1)).toBe('@ez-pixel/node');
    expect(addCommand(project('uv'), { kind: 'registry' })?.argv.at(-1)).toBe('ez-pixel');
  });

  it('adds -w at a pnpm workspace root, and snapshots both roots for a member', () => {
    expect(addCommand(project('pnpm', { workspaceRoot: '/p/app' }), artifact)?.argv).toEqual(['pnpm', 'add', '-w', 'file:.ez-pixel/sdk-file']);
    const member = addCommand(project('pnpm', { root: '/p/ws/packages/api', workspaceRoot: '/p/ws' }), artifact);
    expect(member?.argv).not.toContain('-w');
    expect(member?.touches).toEqual(expect.arrayContaining(['/p/ws/packages/api/package.json', '/p/ws/pnpm-lock.yaml', '/p/ws/package.json']));
    expect(member?.creates).toEqual(['/p/ws/packages/api/node_modules', '/p/ws/node_modules']);
  });

  it('shows arguments with spaces quoted, but runs the argv as it is', () => {
    const command = addCommand(project('pip', { interpreter: '/my venv/bin/python' }), artifact);
    expect(command?.argv[0]).toBe('/my venv/bin/python');
    expect(command?.display.startsWith("'/my venv/bin/python' -m pip install")).toBe(true);
  });

  it('every manager lists the lockfiles it may rewrite', () => {
    expect(PACKAGE_MANAGERS.npm.touches).toContain('package-lock.json');
    expect(PACKAGE_MANAGERS['yarn-berry'].touches).toEqual(expect.arrayContaining(['yarn.lock', '.pnp.cjs', '.yarnrc.yml']));
    expect(PACKAGE_MANAGERS.uv.touches).toEqual(['pyproject.toml', 'uv.lock']);
    expect(PACKAGE_MANAGERS.pipenv.touches).toEqual(['Pipfile', 'Pipfile.lock']);
  });
});

describe('declaresSdk', () => {
  it('reads package.json dependency fields', () => {
    expect(declaresSdk('node', 'package.json', '{"dependencies":{"@ez-pixel/node":"^0.2.0"}}')).toBe(true);
    expect(declaresSdk('node', 'package.json', '{"description":"uses @ez-pixel/node"}')).toBe(false);
  });

  it('reads pyproject.toml as TOML: an author e-mail is not a dependency', () => {
    const poetry = '[tool.poetry]\nauthors = ["ez-pixel <dev@ez-pixel.invalid>"]\n[tool.poetry.dependencies]\npython = "^3.9"\n';
    expect(declaresSdk('python', 'pyproject.toml', poetry)).toBe(false);
    expect(declaresSdk('python', 'pyproject.toml', `${poetry}ez-pixel = {path = ".ez-pixel/ez_pixel-0.2.0-py3-none-any.whl"}\n`)).toBe(true);
    expect(declaresSdk('python', 'pyproject.toml', '[project]\ndependencies = ["EZ_Pixel>=0.2"]\n')).toBe(true);
    expect(declaresSdk('python', 'pyproject.toml', '[project]\ndependencies = ["ez-pixel @ {root:uri}/.ez-pixel/ez_pixel-0.2.0-py3-none-any.whl"]\n')).toBe(true);
  });

  it('reads Pipfile packages and requirements lines, including a wheel path', () => {
    expect(declaresSdk('python', 'Pipfile', '[packages]\nez-pixel = {file = "./.ez-pixel/x.whl"}\n')).toBe(true);
    expect(declaresSdk('python', 'requirements.txt', 'flask\n./.ez-pixel/ez_pixel-0.2.0-py3-none-any.whl\n')).toBe(true);
    expect(declaresSdk('python', 'requirements.txt', '# ez-pixel is added by install\nflask\n')).toBe(false);
  });
});
