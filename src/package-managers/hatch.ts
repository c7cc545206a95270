/**
 * Hatch has no `add` command: the SDK becomes an entry of `[project].dependencies` in
 * pyproject.toml. A local wheel is a direct reference, which hatch only accepts with
 * `[tool.hatch.metadata] allow-direct-references = true`. Edits are line-based and leave every
 * other byte alone; a layout we do not recognise yields null (the caller asks for a manual edit).
 */
import { lineEnding } from '../plan/line-file.js';
import { SDK_PACKAGES } from './sdk.js';

/** The requirement string for the wheel at `path` (relative to the root), or the registry name. */
export function hatchRequirement(path: string | null): string {
  const name = SDK_PACKAGES.python.name;
  return path === null ? name : `${name} @ {root:uri}/${path}`;
}

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

export function addHatchDependency(pyproject: string, requirement: string): string | null {
  const eol = lineEnding(pyproject);
  const lines = pyproject.split(/\r?\n/);
  const project = findTable(lines, 'project');
  if (project === null) return null;
  const quoted = JSON.stringify(requirement);
  const start = lines.slice(project.header + 1, project.end).findIndex((line) => /^\s*dependencies\s*=/.test(line));
  if (start === -1) {
    lines.splice(project.header + 1, 0, `dependencies = [${quoted}]`);
  } else {
    const index = project.header + 1 + start;
    const line = lines[index] as string;
    const oneLine = /^(\s*dependencies\s*=\s*\[)(.*)\](\s*(#.*)?)$/.exec(line);
    if (oneLine) {
      const items = (oneLine[2] ?? '').trim().replace(/,\s*$/, '');
      lines[index] = `${oneLine[1]}${items ? `${items}, ` : ''}${quoted}]${oneLine[3] ?? ''}`;
    } else if (/\[\s*(#.*)?$/.test(line)) {
      const close = lines.findIndex((candidate, i) => i > index && /^\s*\]/.test(candidate));
      if (close === -1) return null;
      const previous = lines[close - 1] as string;
      const indent = /^(\s*)"/.exec(previous)?.[1] ?? '    ';
      if (close - 1 > index && /"\s*$/.test(previous)) lines[close - 1] = `${previous},`;
      lines.splice(close, 0, `${indent}${quoted},`);
    } else {
      return null;
    }
  }
  if (requirement.includes(' @ ')) allowDirectReferences(lines);
  return lines.join(eol);
}

function allowDirectReferences(lines: string[]): void {
  const metadata = findTable(lines, 'tool.hatch.metadata');
  if (metadata === null) {
    const trailingBlank = lines.length > 0 && lines[lines.length - 1] === '';
    const table = ['', '[tool.hatch.metadata]', 'allow-direct-references = true'];
    if (trailingBlank) lines.splice(lines.length - 1, 0, ...table);
    else lines.push(...table);
    return;
  }
  const body = lines.slice(metadata.header + 1, metadata.end);
  if (body.some((line) => /^\s*allow-direct-references\s*=\s*true/.test(line))) return;
  lines.splice(metadata.header + 1, 0, 'allow-direct-references = true');
}
