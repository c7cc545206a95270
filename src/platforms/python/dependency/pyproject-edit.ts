/**
 * Line-based edits of pyproject.toml that leave every other byte alone: an entry appended to
 * `[project].dependencies`, a key added to a table (created at the end when missing), a block
 * appended or taken out again. A layout we do not recognise yields null, and the caller asks for a manual edit.
 */
import { lineEnding } from '../../../plan/line-file.js';

interface Table {
  header: number;
  /** Index of the first line after the table. */
  end: number;
}

function findTable(lines: string[], name: string): Table | null {
  const header = lines.findIndex((line) => line.trim() === `[${name}]`);
  if (header === -1) return null;
  let end = header + 1;
  while (end < lines.length && !/^\s*\[/.test(lines[end] as string)) end += 1;
  return { header, end };
}

/** Appends `block` (lines) after a blank line at the end of the file, keeping its final newline. */
function appendLines(lines: string[], block: string[]): void {
  const trailingBlank = lines.length > 0 && lines[lines.length - 1] === '';
  const text = ['', ...block];
  if (trailingBlank) lines.splice(lines.length - 1, 0, ...text);
  else lines.push(...text);
}

function edit(pyproject: string, change: (lines: string[]) => boolean): string | null {
  const lines = pyproject.split(/\r?\n/);
  return change(lines) ? lines.join(lineEnding(pyproject)) : null;
}

/** `requirement` appended to `[project].dependencies` (the key is created when missing). */
export function addProjectDependency(pyproject: string, requirement: string): string | null {
  return edit(pyproject, (lines) => {
    const project = findTable(lines, 'project');
    if (project === null) return false;
    const quoted = JSON.stringify(requirement);
    const start = lines.slice(project.header + 1, project.end).findIndex((line) => /^\s*dependencies\s*=/.test(line));
    if (start === -1) {
      lines.splice(project.header + 1, 0, `dependencies = [${quoted}]`);
      return true;
    }
    const index = project.header + 1 + start;
    const line = lines[index] as string;
    const oneLine = /^(\s*dependencies\s*=\s*\[)(.*)\](\s*(#.*)?)$/.exec(line);
    if (oneLine) {
      const items = (oneLine[2] ?? '').trim().replace(/,\s*$/, '');
      lines[index] = `${oneLine[1]}${items ? `${items}, ` : ''}${quoted}]${oneLine[3] ?? ''}`;
      return true;
    }
    if (!/\[\s*(#.*)?$/.test(line)) return false;
    const close = lines.findIndex((candidate, i) => i > index && /^\s*\]/.test(candidate));
    if (close === -1) return false;
    const previous = lines[close - 1] as string;
    const indent = /^(\s*)"/.exec(previous)?.[1] ?? '    ';
    if (close - 1 > index && /"\s*(#.*)?$/.test(previous) && !/,\s*(#.*)?$/.test(previous)) {
      lines[close - 1] = previous.replace(/"(\s*(#.*)?)$/, '",$1');
    }
    lines.splice(close, 0, `${indent}${quoted},`);
    return true;
  });
}

/** `key = value` as the last line of `[table]`, or a new table at the end of the file. */
export function setTableKey(pyproject: string, table: string, key: string, value: string): string | null {
  return edit(pyproject, (lines) => {
    const found = findTable(lines, table);
    if (found === null) {
      appendLines(lines, [`[${table}]`, `${key} = ${value}`]);
      return true;
    }
    const body = lines.slice(found.header + 1, found.end);
    if (body.some((line) => new RegExp(`^\\s*"?${key}"?\\s*=`).test(line))) return false;
    // After the table's last non-blank line, so the blank line before the next table stays.
    let at = found.end;
    while (at > found.header + 1 && (lines[at - 1] as string).trim() === '') at -= 1;
    lines.splice(at, 0, `${key} = ${value}`);
    return true;
  });
}

/** A block of lines (an array-of-tables entry such as `[[tool.pdm.source]]`) at the end of the file. */
export function appendBlock(pyproject: string, block: string[]): string {
  return edit(pyproject, (lines) => {
    appendLines(lines, block);
    return true;
  }) as string;
}

/** The file without `block` (as appendBlock wrote it, with the blank line before it), or null when it is not there verbatim. */
export function removeBlock(pyproject: string, block: string[]): string | null {
  return edit(pyproject, (lines) => {
    const start = lines.findIndex((_, i) => block.every((line, j) => lines[i + j] === line));
    if (start === -1) return false;
    const blankBefore = start > 0 && lines[start - 1] === '' ? 1 : 0;
    lines.splice(start - blankBefore, block.length + blankBefore);
    return true;
  });
}
