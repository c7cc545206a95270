import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { addInit, initLoadOrder, removeInit, type Injection } from '../src/inject/index.js';
import { pythonHelperSource } from '../src/platforms/python/wiring/python-helper.js';
import { initWiringFor } from '../src/templates/index.js';
import type { Project } from '../src/project.js';
import { pythonProject, settings, tempProject } from './fixtures/inject/projects.js';

const script = pythonProject({ entry: 'app.py' });
const line = 'import ez_pixel_init  # ez-pixel  # isort: skip  # noqa: F401';

async function wire(project: Project, source: string | null) {
  const wiring = initWiringFor(project, settings);
  return { wiring, injection: await addInit(project, project.entry as string, source, wiring) };
}

function inserted(injection: Injection): string {
  if (injection.kind !== 'insert') throw new Error(`expected an insert, got ${JSON.stringify(injection)}`);
  return injection.after;
}

async function expectRoundTrip(source: string, project: Project = script): Promise<string> {
  const { wiring, injection } = await wire(project, source);
  const after = inserted(injection);
  expect(await removeInit(project, after, wiring)).toEqual({ kind: 'remove', after: source });
  return after;
}

describe('addInit: Python entries (placed by the interpreter’s own ast)', () => {
  it('goes after the shebang, encoding line, docstring and __future__ imports', async () => {
    const source = [
      '#!/usr/bin/env python3',
      '# -*- coding: utf-8 -*-',
      '"""My app.',
      '',
      'Runs things.',
      '"""',
      'from __future__ import annotations',
      'from __future__ import division',
      '',
      '# settings',
      'import os',
      '',
    ].join('\n');
    const after = await expectRoundTrip(source);
    const lines = after.split('\n');
    expect(lines.slice(8, 12)).toEqual(['', '# settings', line, 'import os']);
  });

  it('puts the line before the decorators of a decorated first statement', async () => {
    const after = await expectRoundTrip('"""doc"""\n@decorate\ndef main():\n    pass\n');
    expect(after).toBe(`"""doc"""\n${line}\n@decorate\ndef main():\n    pass\n`);
  });

  it('keeps CRLF line endings and uses them for the inserted line', async () => {
    const source = '"""doc"""\r\nimport sys\r\n\r\nprint(sys.argv)\r\n';
    expect(await expectRoundTrip(source)).toBe(`"""doc"""\r\n${line}\r\nimport sys\r\n\r\nprint(sys.argv)\r\n`);
  });

  it('counts lines as Python does with old Mac CR-only line endings', async () => {
    const source = '"""doc"""\rimport os\rprint(os.sep)\r';
    expect(await expectRoundTrip(source)).toBe(`"""doc"""\r${line}\rimport os\rprint(os.sep)\r`);
  });

  it('keeps a BOM first', async () => {
    const source = '\uFEFFimport sys\nprint(sys.argv)\n';
    expect(await expectRoundTrip(source)).toBe(`\uFEFF${line}\nimport sys\nprint(sys.argv)\n`);
  });

  it('keeps tabs, and a file without a trailing newline', async () => {
    const source = 'if True:\n\tprint("x")';
    expect(await expectRoundTrip(source)).toBe(`${line}\nif True:\n\tprint("x")`);
  });

  it('goes after a docstring-only module, even without a final newline', async () => {
    expect(await expectRoundTrip('"""Only a docstring."""')).toBe(`"""Only a docstring."""\n${line}`);
    expect(await expectRoundTrip('"""Only a docstring."""\n')).toBe(`"""Only a docstring."""\n${line}\n`);
  });

  it('wires an empty file and a comment-only file', async () => {
    expect(await expectRoundTrip('')).toBe(`${line}\n`);
    expect(await expectRoundTrip('#!/usr/bin/env python3\n# nothing yet\n')).toBe(`#!/usr/bin/env python3\n# nothing yet\n${line}\n`);
  });

  it('returns manual when the first statement shares a line with the docstring', async () => {
    const { injection } = await wire(script, '"""doc"""; import os\n');
    expect(injection).toMatchObject({ kind: 'manual', snippet: line });
  });

  it('returns manual with the snippet on a syntax error, naming the line', async () => {
    const { injection } = await wire(script, 'import os\ndef broken(:\n    pass\n');
    expect(injection).toMatchObject({ kind: 'manual', snippet: line });
    if (injection.kind === 'manual') expect(injection.reason).toMatch(/line 2/);
  });

  it('edits an entry declared in an ASCII-compatible encoding (PEP 263), refuses one that is not', async () => {
    const latin1 = await wire(script, '# -*- coding: latin-1 -*-\nimport os\n');
    expect(latin1.injection).toMatchObject({ kind: 'insert', after: `# -*- coding: latin-1 -*-\n${line}\nimport os\n` });
    const ebcdic = await wire(script, '# coding: cp037\nimport os\n');
    expect(ebcdic.injection).toMatchObject({ kind: 'manual', snippet: line });
    if (ebcdic.injection.kind === 'manual') expect(ebcdic.injection.reason).toMatch(/cp037 encoding/);
  });

  it('returns manual when the interpreter cannot be run', async () => {
    const project = pythonProject({ interpreter: '/nonexistent/python3' });
    const { injection } = await wire(project, 'import os\n');
    expect(injection).toMatchObject({ kind: 'manual', snippet: line });
  });

  it('is not fooled by a json.py or ast.py in the working directory (the helper runs isolated)', async () => {
    const dir = tempProject({ 'json.py': 'raise SystemExit("shadowed json")\n', 'ast.py': 'raise SystemExit("shadowed ast")\n' });
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect((await wire(script, 'import os\n')).injection.kind).toBe('insert');
    } finally {
      process.chdir(cwd);
    }
  });

  it('says present when the init is already imported (any import form)', async () => {
    expect((await wire(script, `${line}\nimport os\n`)).injection).toEqual({ kind: 'present' });
    expect((await wire(script, 'import os\nfrom . import ez_pixel_init\n')).injection).toEqual({ kind: 'present' });
  });
});

describe('removeInit: Python entries', () => {
  it('returns manual when our line was edited, absent when it is gone', async () => {
    const wiring = initWiringFor(script, settings);
    expect(await removeInit(script, 'import ez_pixel_init, os  # ez-pixel\n', wiring)).toMatchObject({ kind: 'manual' });
    expect(await removeInit(script, 'import os\n', wiring)).toEqual({ kind: 'absent' });
  });
});

describe('initLoadOrder: Python', () => {
  const order = (source: string) => initLoadOrder(script, 'app.py', source);

  it('is first after install', async () => {
    const { injection } = await wire(script, '"""doc"""\nfrom __future__ import annotations\nimport os\n');
    expect(await order(inserted(injection))).toEqual({ kind: 'first' });
  });

  it('is late when code runs before the init', async () => {
    expect(await order('import os\nimport ez_pixel_init  # ez-pixel\n')).toEqual({ kind: 'late', before: 'line 1: import os' });
  });

  it('is missing when only a comment or a string mentions it', async () => {
    expect(await order('# import ez_pixel_init\nprint("import ez_pixel_init")\n')).toEqual({ kind: 'missing' });
  });

  it('is unparseable on a syntax error', async () => {
    expect((await order('def (:\n')).kind).toBe('unparseable');
  });
});

describe('the Python helper', () => {
  it('uses nothing newer than Python 3.8 (vermin, from .venv-test)', async () => {
    const dir = tempProject({ 'helper.py': pythonHelperSource });
    const vermin = fileURLToPath(new URL('../.venv-test/bin/vermin', import.meta.url));
    const result = await execa(vermin, ['--target=3.8-', '--no-tips', '--violations', join(dir, 'helper.py')], { reject: false });
    expect(result.exitCode, `${result.stdout}${result.stderr}`).toBe(0);
  });
});
