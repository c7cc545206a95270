/**
 * Detection of every fixture, copied to a temp git repository: runtime, framework, module system,
 * TypeScript, package manager, manifest, entry and workspace root, as the install will use them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { detect } from '../src/detectors/index.js';
import type { Project } from '../src/project.js';
import { copyFixture, removeFixtureCopies } from './helpers/fixtures.js';

afterAll(removeFixtureCopies);

type Expected = Pick<Project, 'runtime' | 'framework' | 'packageManager' | 'moduleSystem' | 'typescript' | 'manifest' | 'entry'> & {
  /** The project's directory inside the fixture, when it is not the fixture itself. */
  member?: string;
  /** The workspace root inside the fixture, when there is one. */
  workspace?: string;
};

const node = { runtime: 'node', manifest: 'package.json', typescript: false } as const;
const python = { runtime: 'python', moduleSystem: null, typescript: false } as const;

const expectations: Record<string, Expected> = {
  'node-plain-npm': { ...node, framework: 'plain', packageManager: 'npm', moduleSystem: 'cjs', entry: 'index.js' },
  'node-esm-pnpm': { ...node, framework: 'plain', packageManager: 'pnpm', moduleSystem: 'esm', entry: 'src/app.js' },
  'node-ts-nodenext-npm': { ...node, framework: 'plain', packageManager: 'npm', moduleSystem: 'esm', typescript: true, entry: 'src/index.ts' },
  'node-express-yarn': { ...node, framework: 'express', packageManager: 'yarn', moduleSystem: 'cjs', entry: 'server.js' },
  'node-express-berry': { ...node, framework: 'express', packageManager: 'yarn-berry', moduleSystem: 'esm', entry: 'server.mjs' },
  'node-bun': { ...node, framework: 'plain', packageManager: 'bun', moduleSystem: 'cjs', entry: 'index.js' },
  'node-fastify': { ...node, framework: 'fastify', packageManager: 'npm', moduleSystem: 'cjs', entry: 'server.js' },
  'node-react-router': { ...node, framework: 'react-router', packageManager: 'npm', moduleSystem: 'esm', entry: 'app/entry.server.jsx' },
  'node-remix': { ...node, framework: 'remix', packageManager: 'npm', moduleSystem: 'esm', typescript: true, entry: 'app/entry.server.tsx' },
  'node-cli-bin': { ...node, framework: 'plain', packageManager: 'npm', moduleSystem: 'cjs', entry: 'bin/cli.js' },
  'node-next-app': { ...node, framework: 'next', packageManager: 'npm', moduleSystem: 'esm', entry: 'instrumentation.js' },
  'node-next-instrumentation': { ...node, framework: 'next', packageManager: 'npm', moduleSystem: 'esm', typescript: true, entry: 'src/instrumentation.ts' },
  'node-next-pages': { ...node, framework: 'next', packageManager: 'npm', moduleSystem: 'esm', entry: 'instrumentation.js' },
  'node-sveltekit': { ...node, framework: 'sveltekit', packageManager: 'npm', moduleSystem: 'esm', typescript: true, entry: 'src/hooks.server.ts' },
  'node-nuxt': { ...node, framework: 'nuxt', packageManager: 'npm', moduleSystem: 'esm', typescript: true, entry: 'server/plugins/ez-pixel.ts' },
  'node-nuxt3': { ...node, framework: 'nuxt', packageManager: 'npm', moduleSystem: 'esm', typescript: true, entry: 'server/plugins/ez-pixel.ts' },
  'node-nuxt-srcdir': { ...node, framework: 'nuxt', packageManager: 'npm', moduleSystem: 'esm', entry: 'server/plugins/ez-pixel.js' },
  'node-nest': { ...node, framework: 'nest', packageManager: 'npm', moduleSystem: 'cjs', typescript: true, entry: 'src/main.ts' },
  'node-edge-crlf': { ...node, framework: 'plain', packageManager: 'npm', moduleSystem: 'cjs', entry: 'index.js' },
  'node-edge-bom': { ...node, framework: 'plain', packageManager: 'npm', moduleSystem: 'cjs', entry: 'index.js' },
  'node-edge-syntax-error': { ...node, framework: 'plain', packageManager: 'npm', moduleSystem: 'cjs', entry: 'index.js' },
  'pnpm-workspace': { ...node, framework: 'plain', packageManager: 'pnpm', moduleSystem: 'cjs', entry: 'server.js', member: 'packages/api', workspace: '.' },
  'py-script-pip': { ...python, framework: 'script', packageManager: 'pip', manifest: 'requirements.txt', entry: 'main.py' },
  'py-flask-uv': { ...python, framework: 'flask', packageManager: 'uv', manifest: 'pyproject.toml', entry: 'app.py' },
  'py-flask-factory-pip': { ...python, framework: 'flask', packageManager: 'pip', manifest: 'requirements.txt', entry: 'flaskr/__init__.py' },
  'py-fastapi-poetry': { ...python, framework: 'fastapi', packageManager: 'poetry', manifest: 'pyproject.toml', entry: 'app/main.py' },
  'py-starlette-pip': { ...python, framework: 'starlette', packageManager: 'pip', manifest: 'requirements.txt', entry: 'app.py' },
  'py-django-pipenv': { ...python, framework: 'django', packageManager: 'pipenv', manifest: 'Pipfile', entry: 'mysite/settings.py' },
  'py-django-settings-pkg': { ...python, framework: 'django', packageManager: 'pip', manifest: 'requirements.txt', entry: 'config/settings/dev.py' },
  'py-pdm': { ...python, framework: 'script', packageManager: 'pdm', manifest: 'pyproject.toml', entry: 'main.py' },
  'py-hatch': { ...python, framework: 'script', packageManager: 'hatch', manifest: 'pyproject.toml', entry: 'src/hatch_app/__main__.py' },
  'py-pdm-library': { ...python, framework: 'script', packageManager: 'pdm', manifest: 'pyproject.toml', entry: 'src/meterkit/cli.py' },
  'py-poetry-pep621': { ...python, framework: 'script', packageManager: 'poetry', manifest: 'pyproject.toml', entry: 'src/tally/cli.py' },
  'py-pip-pyproject': { ...python, framework: 'script', packageManager: 'pip', manifest: 'pyproject.toml', entry: 'ledgerly/cli.py' },
  'py-hatchling-cli': { ...python, framework: 'script', packageManager: 'pip', manifest: 'pyproject.toml', entry: 'src/stamp/cli.py' },
  'py-requirements-folder': { ...python, framework: 'script', packageManager: 'pip', manifest: 'requirements/prod.txt', entry: 'worker.py' },
  'py-uv-workspace': { ...python, framework: 'script', packageManager: 'uv', manifest: 'pyproject.toml', entry: 'app/main.py', member: 'backend', workspace: '.' },
  'py-setuppy-pip': { ...python, framework: 'script', packageManager: 'pip', manifest: 'setup.py', entry: 'notes/cli.py' },
  'py-scripts-entry': { ...python, framework: 'script', packageManager: 'pip', manifest: 'pyproject.toml', entry: 'pkg/cli.py' },
  'py-edge-header': { ...python, framework: 'script', packageManager: 'pip', manifest: 'requirements.txt', entry: 'main.py' },
  'py-streamlit-uv': { ...python, framework: 'streamlit', packageManager: 'uv', manifest: 'pyproject.toml', entry: 'streamlit_app.py' },
  'py-edge-syntax-error': { ...python, framework: 'script', packageManager: 'pip', manifest: 'requirements.txt', entry: 'main.py' },
};

async function detectProject(dir: string): Promise<Project> {
  const detection = await detect(dir);
  if (detection.kind !== 'project') throw new Error(`expected a project, got ${JSON.stringify(detection)}`);
  return detection.project;
}

describe('detect() on each fixture', () => {
  for (const [fixture, expected] of Object.entries(expectations)) {
    it(fixture, async () => {
      const dir = await copyFixture(fixture);
      const project = await detectProject(dir);
      const { member, workspace, ...fields } = expected;
      expect(project).toMatchObject({
        ...fields,
        root: member ? join(dir, ...member.split('/')) : dir,
        workspaceRoot: workspace ? join(dir, workspace) : null,
      });
      if (project.runtime === 'python') expect(project.interpreter).toMatch(/^\//);
      else expect(project.interpreter).toBeNull();
      // Every field that was chosen says why.
      const about = new Set(project.evidence.map((e) => e.about));
      for (const topic of ['runtime', 'framework', 'packageManager', 'entry'] as const) expect(about).toContain(topic);
    });
  }
});

describe('evidence', () => {
  it('explains the TypeScript main → source mapping', async () => {
    const project = await detectProject(await copyFixture('node-ts-nodenext-npm'));
    const says = project.evidence.map((e) => e.says);
    expect(says).toContain('package.json scripts.start: node dist/index.js runs dist/index.js; its source is src/index.ts (tsconfig outDir dist → rootDir src)');
    expect(says).toContain('package.json type is module');
  });

  it("says React Router's server entry is to be created, or names the app's own, an Express server beside it (node-custom-server) included", async () => {
    const dir = await copyFixture('node-react-router');
    expect((await detectProject(dir)).evidence).toContainEqual({ about: 'entry', says: "app/entry.server.jsx is to be created from React Router's default server entry (the app has none)" });
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...pkg, dependencies: { ...pkg.dependencies, express: '^5' } }));
    writeFileSync(join(dir, 'app', 'entry.server.tsx'), 'export default function handleRequest() {}\n');
    const project = await detectProject(dir);
    expect([project.framework, project.entry]).toEqual(['react-router', 'app/entry.server.tsx']);
    expect(project.evidence).toContainEqual({ about: 'entry', says: "app/entry.server.tsx exists (React Router's server entry)" });
  });

  it('names the setting in manage.py that points at the Django settings', async () => {
    const project = await detectProject(await copyFixture('py-django-settings-pkg'));
    expect(project.evidence).toContainEqual({ about: 'entry', says: 'manage.py sets DJANGO_SETTINGS_MODULE to config.settings.dev: config/settings/dev.py' });
  });

  it('resolves the [project.scripts] target module to its file', async () => {
    const project = await detectProject(await copyFixture('py-scripts-entry'));
    expect(project.evidence).toContainEqual({ about: 'entry', says: '[project.scripts] fixture-tool = "pkg.cli:main": pkg/cli.py' });
  });

  it('says an instrumentation file is to be created when the Next.js app has none', async () => {
    const project = await detectProject(await copyFixture('node-next-app'));
    expect(project.evidence).toContainEqual({ about: 'entry', says: 'instrumentation.js is to be created (Next.js instrumentation hook; the app lives at the root)' });
  });

  it('says SvelteKit, its adapter and the server hooks to create', async () => {
    const project = await detectProject(await copyFixture('node-sveltekit'));
    const says = project.evidence.map((e) => e.says);
    expect(says).toEqual(expect.arrayContaining([
      'package.json depends on @sveltejs/kit',
      'svelte.config.js exists',
      'adapter-node: the built server (node build) runs hooks.server, where the Node SDK reports',
      "src/hooks.server.ts is to be created (SvelteKit's server hooks, the SvelteKit default)",
    ]));
  });

  it.each([
    ['node-nuxt', 'app/plugins/ (Nuxt 4.3 keeps the app in app/)'],
    ['node-nuxt3', 'plugins/ (Nuxt 3.21: the root is srcDir)'],
    ['node-nuxt-srcdir', "src/plugins/ (nuxt.config sets srcDir: 'src')"],
  ])('says where the Nuxt server plugin is created and where the client plugin goes (%s)', async (fixture, client) => {
    const project = await detectProject(await copyFixture(fixture));
    expect(project.evidence).toContainEqual({ about: 'framework', says: 'package.json depends on nuxt' });
    expect(project.evidence).toContainEqual({ about: 'entry', says: `${project.entry} is to be created (Nitro runs server/plugins/ at start-up)` });
    expect(project.evidence).toContainEqual({ about: 'entry', says: `the client plugin goes into ${client}` });
  });

  it('quotes the packageManager field', async () => {
    const project = await detectProject(await copyFixture('node-express-berry'));
    expect(project.evidence).toContainEqual({ about: 'packageManager', says: 'package.json packageManager is yarn@4.9.2' });
  });

  it('records the workspace member and the lockfile found at the workspace root', async () => {
    const project = await detectProject(await copyFixture('pnpm-workspace'));
    const says = project.evidence.map((e) => e.says);
    expect(says).toContain('packages/api is a member of the workspace pnpm-workspace.yaml declares');
    expect(says[0]).toBe('packages/api/package.json is the only workspace package');
    expect(says.some((s) => s.startsWith('../../pnpm-lock.yaml') && s.includes("pnpm's"))).toBe(true);
  });
});
