/**
 * Python entries: the init import becomes the first statement after the shebang and encoding lines,
 * the module docstring and `from __future__` imports. Python's own `ast` (through the project's
 * interpreter, see python-helper.ts) says where statements start; we splice at the start of that line.
 */
import { execa } from 'execa';
import { enclosingPackageInits } from '../detect/package-inits.js';
import type { ProjectFiles } from '../../../detectors/project-files.js';
import { encodeText } from '../../../read-text.js';
import type { InitWiring } from '../../../templates/index.js';
import type { Injection, LoadOrder } from '../../../inject/index.js';
import { pythonHelperSource } from './python-helper.js';
import { insertLines, lineEndingOf, lineStarts } from '../../../inject/lines.js';

interface PythonStatement {
  kind: 'docstring' | 'future' | 'init' | 'code';
  line: number;
  end: number;
  /** Importing the module executes other code here (an import or a call). */
  runs: boolean;
}

type Outline = { kind: 'parsed'; statements: PythonStatement[] } | { kind: 'error'; reason: string };

const helperTimeoutMs = 30_000;

/**
 * Asks the interpreter's `ast` for the module's top-level statements. It gets the file's own bytes
 * (read-text.ts keeps them), so it decodes them as CPython will: by the PEP 263 coding line, else
 * as UTF-8, where a Latin-1 byte is a SyntaxError and so a manual wiring.
 */
async function outlinePython(interpreter: string, entryPath: string, source: string): Promise<Outline> {
  // -I (isolated): a json.py or ast.py in the working directory must not shadow the stdlib.
  const run = await execa(interpreter, ['-I', '-c', pythonHelperSource], {
    input: encodeText(source),
    reject: false,
    timeout: helperTimeoutMs,
  });
  if (run.exitCode !== 0 || run.failed) {
    const why = run.stderr?.toString().trim().split('\n').pop() || run.shortMessage;
    return { kind: 'error', reason: `could not run ${interpreter} to parse ${entryPath}: ${why}` };
  }
  try {
    const answer = JSON.parse(String(run.stdout)) as { error?: string; statements?: PythonStatement[] };
    if (answer.error !== undefined) return { kind: 'error', reason: `cannot parse ${entryPath}: ${answer.error}` };
    return { kind: 'parsed', statements: answer.statements ?? [] };
  } catch {
    return { kind: 'error', reason: `unexpected answer from ${interpreter} while parsing ${entryPath}` };
  }
}

export async function addPythonInit(interpreter: string, entryPath: string, source: string, wiring: InitWiring): Promise<Injection> {
  const snippet = wiring.entryLines.join('\n');
  const outline = await outlinePython(interpreter, entryPath, source);
  if (outline.kind === 'error') {
    return { kind: 'manual', reason: `${outline.reason}; add this line to ${entryPath} after its docstring and __future__ imports`, snippet };
  }
  const { statements } = outline;
  if (statements.some((statement) => statement.kind === 'init')) return { kind: 'present' };

  const headerCount = countHeader(statements);
  const lastHeader = statements[headerCount - 1];
  const firstCode = statements[headerCount];
  const starts = lineStarts(source);
  let offset: number;
  if (firstCode) {
    if (lastHeader && lastHeader.end >= firstCode.line) {
      return { kind: 'manual', reason: `line ${firstCode.line} of ${entryPath} starts with other statements; add this line after them`, snippet };
    }
    offset = starts[firstCode.line - 1] ?? source.length;
  } else {
    offset = lastHeader ? (starts[lastHeader.end] ?? source.length) : source.length;
  }
  return { kind: 'insert', after: insertLines(source, [{ offset, lines: wiring.entryLines }], lineEndingOf(source)) };
}

/** How many leading statements must stay first: the docstring and `from __future__` imports. */
function countHeader(statements: PythonStatement[]): number {
  let count = 0;
  while (statements[count]?.kind === 'docstring' || statements[count]?.kind === 'future') count++;
  return count;
}

export async function pythonLoadOrder(interpreter: string, files: ProjectFiles, entryPath: string, source: string): Promise<LoadOrder> {
  const outline = await outlinePython(interpreter, entryPath, source);
  if (outline.kind === 'error') return { kind: 'unparseable', reason: outline.reason };
  const body = outline.statements.filter((statement) => statement.kind === 'init' || statement.kind === 'code');
  if (!body.some((statement) => statement.kind === 'init')) return { kind: 'missing' };
  const first = body[0] as PythonStatement;
  if (first.kind !== 'init') return { kind: 'late', before: statementText(source, first) };
  const earlier = await packageRunningFirst(interpreter, files, entryPath);
  return earlier ? { kind: 'after-package', ...earlier } : { kind: 'first' };
}

/**
 * The first package `__init__.py` around `entry` that runs other code before any init, and that
 * code: Python runs it before the entry's first line. Null when none does (or none can be read).
 */
export async function packageRunningFirst(interpreter: string, files: ProjectFiles, entry: string): Promise<{ packageInit: string; before: string } | null> {
  for (const packageInit of await enclosingPackageInits(files, entry)) {
    const source = await files.text(packageInit);
    const outline = source === null ? null : await outlinePython(interpreter, packageInit, source);
    if (source === null || outline?.kind !== 'parsed') continue;
    const first = outline.statements.find((statement) => statement.kind === 'init' || (statement.kind === 'code' && statement.runs));
    if (first?.kind === 'init') return null;
    if (first) return { packageInit, before: statementText(source, first) };
  }
  return null;
}

function statementText(source: string, statement: PythonStatement): string {
  const starts = lineStarts(source);
  return `line ${statement.line}: ${source.slice(starts[statement.line - 1], starts[statement.line] ?? source.length).trim()}`;
}
