/**
 * A small unified diff (3 lines of context) for showing a Plan's file edits. Common prefix and
 * suffix are trimmed first; the rest is an LCS, which is plenty for entry files and manifests.
 * Very large differing middles (lockfiles) are shown as a plain replacement.
 */

type Op = { kind: ' ' | '-' | '+'; text: string };

const CONTEXT = 3;
const LCS_CELL_LIMIT = 4_000_000;

function splitLines(text: string | null): string[] {
  if (text === null || text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => line.replace(/\r$/, ''));
}

function diffOps(a: string[], b: string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA -= 1;
    endB -= 1;
  }
  const head = a.slice(0, start).map((text): Op => ({ kind: ' ', text }));
  const tail = a.slice(endA).map((text): Op => ({ kind: ' ', text }));
  return [...head, ...middleOps(a.slice(start, endA), b.slice(start, endB)), ...tail];
}

function middleOps(a: string[], b: string[]): Op[] {
  if (a.length * b.length > LCS_CELL_LIMIT || a.length === 0 || b.length === 0) {
    return [...a.map((text): Op => ({ kind: '-', text })), ...b.map((text): Op => ({ kind: '+', text }))];
  }
  const width = b.length + 1;
  const lengths = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) {
      lengths[i * width + j] =
        a[i] === b[j] ? (lengths[(i + 1) * width + j + 1] as number) + 1 : Math.max(lengths[(i + 1) * width + j] as number, lengths[i * width + j + 1] as number);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ kind: ' ', text: a[i] as string });
      i += 1;
      j += 1;
    } else if (i < a.length && (j === b.length || (lengths[(i + 1) * width + j] as number) >= (lengths[i * width + j + 1] as number))) {
      ops.push({ kind: '-', text: a[i] as string }); // deletions first, as diff(1) shows them
      i += 1;
    } else {
      ops.push({ kind: '+', text: b[j] as string });
      j += 1;
    }
  }
  return ops;
}

/** A unified diff of one file; `before`/`after` null mean the file does not exist on that side. */
export function unifiedDiff(path: string, before: string | null, after: string | null): string {
  const ops = diffOps(splitLines(before), splitLines(after));
  const header = `--- ${before === null ? '/dev/null' : `a/${path}`}\n+++ ${after === null ? '/dev/null' : `b/${path}`}\n`;
  const changed = ops.map((op, index) => (op.kind === ' ' ? -1 : index)).filter((index) => index >= 0);
  if (changed.length === 0) return `${header}(only line endings or the final newline change)\n`;

  const hunks: string[] = [];
  let cursor = 0;
  while (cursor < changed.length) {
    const first = changed[cursor] as number;
    let last = first;
    while (cursor + 1 < changed.length && (changed[cursor + 1] as number) - last <= CONTEXT * 2) last = changed[++cursor] as number;
    cursor += 1;
    const from = Math.max(0, first - CONTEXT);
    const to = Math.min(ops.length, last + CONTEXT + 1);
    const before = ops.slice(0, from);
    const oldStart = before.filter((op) => op.kind !== '+').length + 1;
    const newStart = before.filter((op) => op.kind !== '-').length + 1;
    const body = ops.slice(from, to);
    const oldCount = body.filter((op) => op.kind !== '+').length;
    const newCount = body.filter((op) => op.kind !== '-').length;
    hunks.push(`@@ -${oldCount ? oldStart : oldStart - 1},${oldCount} +${newCount ? newStart : newStart - 1},${newCount} @@\n${body.map((op) => `${op.kind}${op.text}\n`).join('')}`);
  }
  return header + hunks.join('');
}
