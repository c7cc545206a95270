// The text edits install makes and uninstall takes back: lines in .env/requirements.txt, the
// .env plan, the hatch pyproject edit, keys and URLs, and the diff shown by --dry-run.
import { describe, expect, it } from 'vitest';
import { checkIngestUrl, generateProjectKey, isProjectKey, withIngestPath } from '../src/key.js';
import { addProjectDependency as addHatchDependency, setTableKey } from '../src/platforms/python/dependency/pyproject-edit.js';
import { declarePython } from '../src/platforms/python/dependency/declaration.js';
import { addSetupRequirement } from '../src/platforms/python/dependency/setup-edit.js';
import type { Project } from '../src/project.js';
import { unifiedDiff } from '../src/plan/diff.js';
import { readEnvVariable, SERVER_ENV_VARIABLES } from '../src/plan/dotenv.js';
import { planEnvLines } from '../src/plan/env-plan.js';
import { chooseSettings, mergeKnown } from '../src/plan/existing-settings.js';
import { appendLine, removeLine, replaceLine } from '../src/plan/line-file.js';

const settings = { projectKey: 'pk_test_abc', ingestUrl: 'http://127.0.0.1:8765/ingest' };

describe('appendLine and removeLine give back the exact bytes', () => {
  const cases: [string, string | null][] = [
    ['a file with a trailing newline', 'A=1\nB=2\n'],
    ['a file without a trailing newline', 'A=1\nB=2'],
    ['a CRLF file', 'A=1\r\nB=2\r\n'],
    ['a CRLF file without a trailing newline', 'A=1\r\nB=2'],
    ['an empty file', ''],
    ['a missing file', null],
  ];
  for (const [name, original] of cases) {
    it(name, () => {
      const added = appendLine(original, 'EZ=1');
      expect(added.startsWith(original ?? '')).toBe(true);
      expect(added).toContain('EZ=1');
      if (original?.includes('\r\n')) expect(added).not.toMatch(/[^\r]\n/);
      expect(removeLine(added, 'EZ=1')).toBe(original ?? '');
    });
  }

  it('removes only the matching line and reports a line that is gone', () => {
    expect(removeLine('A=1\nEZ=1\nB=2\n', 'EZ=1')).toBe('A=1\nB=2\n');
    expect(removeLine('A=1\nEZ=2\n', 'EZ=1')).toBeNull();
  });

  it('replaces a line in place, keeping its ending', () => {
    expect(replaceLine('A=1\r\nEZ=1\r\nB=2', 'EZ=1', 'EZ=2')).toBe('A=1\r\nEZ=2\r\nB=2');
  });
});

describe('planEnvLines', () => {
  it('appends both variables to a .env without a trailing newline, touching nothing else', () => {
    const result = planEnvLines('SECRET=x', settings, [], SERVER_ENV_VARIABLES);
    expect(result.edit?.after).toBe(`SECRET=x\nEZ_PIXEL_PROJECT_KEY='pk_test_abc'\nEZ_PIXEL_INGEST_URL='${settings.ingestUrl}'`);
    expect(result.lines.map((line) => line.createdFile)).toEqual([false, false]);
  });

  it('never duplicates a line that is already there', () => {
    const text = `EZ_PIXEL_PROJECT_KEY='pk_test_abc'\nEZ_PIXEL_INGEST_URL='${settings.ingestUrl}'\n`;
    const first = planEnvLines(null, settings, [], SERVER_ENV_VARIABLES);
    expect(first.edit?.after).toBe(text);
    const again = planEnvLines(text, settings, first.lines, SERVER_ENV_VARIABLES);
    expect(again.edit).toBeNull();
    expect(again.lines).toEqual(first.lines);
  });

  it('changes only our URL line on a new --ingest-url', () => {
    const first = planEnvLines('A=1\n', settings, [], SERVER_ENV_VARIABLES);
    const moved = planEnvLines(first.edit?.after ?? null, { ...settings, ingestUrl: 'https://ingest.example/ingest' }, first.lines, SERVER_ENV_VARIABLES);
    expect(moved.edit?.after).toBe("A=1\nEZ_PIXEL_PROJECT_KEY='pk_test_abc'\nEZ_PIXEL_INGEST_URL='https://ingest.example/ingest'\n");
  });

  it("leaves a user's own line alone and says so", () => {
    const result = planEnvLines('EZ_PIXEL_INGEST_URL="https://mine.example/ingest"\n', settings, [], SERVER_ENV_VARIABLES);
    expect(result.edit?.after).toBe(`EZ_PIXEL_INGEST_URL="https://mine.example/ingest"\nEZ_PIXEL_PROJECT_KEY='pk_test_abc'\n`);
    expect(result.notes.join('\n')).toMatch(/EZ_PIXEL_INGEST_URL.*left alone/);
  });

  it('keeps an unquoted line an older ez-pixel wrote while its value is unchanged, and quotes it when the value changes', () => {
    const old = `EZ_PIXEL_PROJECT_KEY=pk_test_abc\nEZ_PIXEL_INGEST_URL=${settings.ingestUrl}\n`;
    const lines = [
      { file: '.env', line: 'EZ_PIXEL_PROJECT_KEY=pk_test_abc', createdFile: true },
      { file: '.env', line: `EZ_PIXEL_INGEST_URL=${settings.ingestUrl}`, createdFile: true },
    ];
    const again = planEnvLines(old, settings, lines, SERVER_ENV_VARIABLES);
    expect(again.edit).toBeNull();
    expect(again.lines).toEqual(lines);
    const moved = planEnvLines(old, { ...settings, ingestUrl: 'https://ingest.example/ingest' }, lines, SERVER_ENV_VARIABLES);
    expect(moved.edit?.after).toBe("EZ_PIXEL_PROJECT_KEY=pk_test_abc\nEZ_PIXEL_INGEST_URL='https://ingest.example/ingest'\n");
    expect(moved.lines[1]?.line).toBe("EZ_PIXEL_INGEST_URL='https://ingest.example/ingest'");
  });

  it('reads quoted and exported values', () => {
    expect(readEnvVariable('export EZ_PIXEL_PROJECT_KEY="pk_live_1"\n', 'EZ_PIXEL_PROJECT_KEY')?.value).toBe('pk_live_1');
  });
});

describe('keys and ingest URLs', () => {
  it('generates pk_live_ and 32 hex digits, different each time', () => {
    const key = generateProjectKey();
    expect(key).toMatch(/^pk_live_[0-9a-f]{32}$/);
    expect(generateProjectKey()).not.toBe(key);
    expect(isProjectKey(key)).toBe(true);
  });

  it('rejects malformed keys', () => {
    for (const bad of ['pk_prod_abc', 'pk_live_', 'pk_live_a b', `pk_live_${'a'.repeat(129)}`, 'sk_live_abc']) {
      expect(isProjectKey(bad)).toBe(false);
    }
  });

  it('accepts http(s) only and warns about plain http off this machine', () => {
    expect(checkIngestUrl('ftp://x/ingest').ok).toBe(false);
    expect(checkIngestUrl('not a url').ok).toBe(false);
    expect(checkIngestUrl('https://user:pw@x/ingest').ok).toBe(false);
    expect(checkIngestUrl('http://127.0.0.1:8765/ingest')).toEqual({ ok: true, url: 'http://127.0.0.1:8765/ingest', warning: null });
    expect(checkIngestUrl('https://ingest.example/ingest')).toMatchObject({ ok: true, warning: null });
    const plain = checkIngestUrl('http://ingest.example/ingest');
    expect(plain.ok && plain.warning).toMatch(/unencrypted/);
  });

  it('gives a bare origin the /ingest endpoint and keeps any path, query or fragment as written', () => {
    expect(withIngestPath('http://127.0.0.1:8765')).toBe('http://127.0.0.1:8765/ingest');
    expect(withIngestPath('https://ingest.example/')).toBe('https://ingest.example/ingest');
    for (const kept of ['https://ingest.example/ingest', 'https://ingest.example/api/events', 'https://ingest.example/?team=a', 'https://x/#y']) {
      expect(withIngestPath(kept)).toBe(kept);
    }
  });
});

describe('[project].dependencies', () => {
  const artifact = '.ez-pixel/ez_pixel-0.2.0-py3-none-any.whl';
  const wheel = `ez-pixel @ {root:uri}/${artifact}`;
  const hatchProject: Project = { root: '/x', runtime: 'python', framework: 'script', packageManager: 'hatch', workspaceRoot: null, moduleSystem: null, typescript: false, manifest: 'pyproject.toml', interpreter: null, entry: 'main.py', evidence: [] };

  it('hatch: adds to a multi-line array and allows the direct reference', () => {
    const before = '[project]\nname = "app"\ndependencies = [\n    "click>=8",\n]\n\n[tool.hatch.envs.default]\n';
    const outcome = declarePython(hatchProject, artifact, before);
    const after = outcome.kind === 'declaration' ? outcome.declaration.manifestAfter : null;
    expect(after).toBe(
      `[project]\nname = "app"\ndependencies = [\n    "click>=8",\n    "${wheel}",\n]\n\n[tool.hatch.envs.default]\n\n[tool.hatch.metadata]\nallow-direct-references = true\n`,
    );
  });

  it('adds to a one-line array, and creates the key when missing', () => {
    expect(addHatchDependency('[project]\ndependencies = ["a"]\n', 'ez-pixel')).toBe('[project]\ndependencies = ["a", "ez-pixel"]\n');
    expect(addHatchDependency('[project]\ndependencies = []\n', 'ez-pixel')).toBe('[project]\ndependencies = ["ez-pixel"]\n');
    expect(addHatchDependency('[project]\nname = "x"\n', 'ez-pixel')).toBe('[project]\ndependencies = ["ez-pixel"]\nname = "x"\n');
  });

  it('gives up (null) without a [project] table', () => {
    expect(addHatchDependency('[tool.hatch]\n', 'ez-pixel')).toBeNull();
  });

  it('adds a key at the end of an existing table, or the table at the end of the file', () => {
    const source = '{ path = "w.whl" }';
    expect(setTableKey('[tool.poetry.dependencies]\npython = "^3.9"\n\n[build-system]\n', 'tool.poetry.dependencies', 'ez-pixel', source))
      .toBe(`[tool.poetry.dependencies]\npython = "^3.9"\nez-pixel = ${source}\n\n[build-system]\n`);
    expect(setTableKey('[project]\nname = "x"\n', 'tool.poetry.dependencies', 'ez-pixel', source)).toBe(`[project]\nname = "x"\n\n[tool.poetry.dependencies]\nez-pixel = ${source}\n`);
    expect(setTableKey('[t]\nez-pixel = "1"\n', 't', 'ez-pixel', source)).toBeNull();
  });

  it('a last item with a trailing comment keeps the comment after the comma', () => {
    expect(addHatchDependency('[project]\ndependencies = [\n    "a"  # pinned\n]\n', 'ez-pixel')).toBe('[project]\ndependencies = [\n    "a",  # pinned\n    "ez-pixel",\n]\n');
  });
});

describe('install_requires in setup.py and setup.cfg', () => {
  it('adds to a one-line list, a multi-line list (comma added, comment kept) and an indented setup.cfg list', () => {
    expect(addSetupRequirement('setup.py', 'setup(install_requires=["flask"])\n', 'ez-pixel>=1')).toBe('setup(install_requires=["flask", "ez-pixel>=1"])\n');
    expect(addSetupRequirement('setup.py', 'setup(\n    install_requires=[\n        "flask",\n        "markdown2"  # md\n    ],\n)\n', 'ez-pixel>=1'))
      .toBe('setup(\n    install_requires=[\n        "flask",\n        "markdown2",  # md\n        "ez-pixel>=1",\n    ],\n)\n');
    expect(addSetupRequirement('setup.cfg', '[options]\ninstall_requires =\n    flask\npython_requires = >=3.9\n', 'ez-pixel>=1'))
      .toBe('[options]\ninstall_requires =\n    flask\n    ez-pixel>=1\npython_requires = >=3.9\n');
    expect(addSetupRequirement('setup.py', 'setup(install_requires=REQUIREMENTS)\n', 'ez-pixel>=1')).toBeNull();
  });
});

describe('unifiedDiff', () => {
  it('shows an inserted line with context and hunk counts', () => {
    const diff = unifiedDiff('index.js', 'a\nb\nc\n', 'a\nNEW\nb\nc\n');
    expect(diff).toBe('--- a/index.js\n+++ b/index.js\n@@ -1,3 +1,4 @@\n a\n+NEW\n b\n c\n');
  });

  it('shows created and deleted files against /dev/null, deletions before additions', () => {
    expect(unifiedDiff('.env', null, 'X=1\n')).toBe('--- /dev/null\n+++ b/.env\n@@ -0,0 +1,1 @@\n+X=1\n');
    expect(unifiedDiff('f', 'old\n', 'new\n')).toBe('--- a/f\n+++ b/f\n@@ -1,1 +1,1 @@\n-old\n+new\n');
  });
});

describe('existing settings', () => {
  it('keeps the first well-formed key and URL the project holds, ignoring malformed ones', () => {
    const known = mergeKnown([
      { from: '.ez-pixel/install.json' },
      { from: 'ez-pixel.init.cjs', projectKey: 'not-a-key', ingestUrl: 'ftp://x' },
      { from: '.env', projectKey: 'pk_live_abc', ingestUrl: 'https://ingest.example/ingest' },
    ]);
    expect(known).toEqual({ keyFrom: '.env', projectKey: 'pk_live_abc', ingestUrl: 'https://ingest.example/ingest' });
  });

  it('a different --key is a conflict unless replacing was confirmed; no key at all generates one', () => {
    const known = { keyFrom: '.env', projectKey: 'pk_live_abc', ingestUrl: null };
    expect(chooseSettings(known, { key: 'pk_test_new' })).toEqual({ kind: 'key-conflict', existing: 'pk_live_abc', requested: 'pk_test_new', foundIn: '.env' });
    expect(chooseSettings(known, { key: 'pk_test_new', replaceKey: true })).toMatchObject({ kind: 'settings', settings: { projectKey: 'pk_test_new' } });
    expect(chooseSettings(known, {})).toMatchObject({ kind: 'settings', generatedKey: false, settings: { projectKey: 'pk_live_abc', ingestUrl: 'http://127.0.0.1:8765/ingest' } });
    const fresh = chooseSettings({ keyFrom: null, projectKey: null, ingestUrl: null }, { ingestUrl: 'https://i.example/ingest' });
    expect(fresh).toMatchObject({ kind: 'settings', generatedKey: true, settings: { ingestUrl: 'https://i.example/ingest' } });
  });
});
