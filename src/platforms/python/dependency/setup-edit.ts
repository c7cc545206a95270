/**
 * `install_requires` in setup.py (a list literal) and setup.cfg (an indented list), edited line by
 * line so every other byte stays. A layout we do not recognise (a variable, a computed list)
 * yields null, and the caller says what to add by hand.
 */
import { lineEnding } from '../../../plan/line-file.js';

export function addSetupRequirement(path: string, text: string, requirement: string): string | null {
  return path.endsWith('setup.cfg') ? addToSetupCfg(text, requirement) : addToSetupPy(text, requirement);
}

function addToSetupPy(text: string, requirement: string): string | null {
  const open = /install_requires\s*=\s*\[/.exec(text);
  if (!open) return null;
  const start = open.index + open[0].length;
  const close = text.indexOf(']', start);
  if (close === -1) return null;
  const body = text.slice(start, close);
  const quoted = JSON.stringify(requirement);
  if (!body.includes('\n')) {
    const items = body.trim().replace(/,\s*$/, '');
    return `${text.slice(0, start)}${items ? `${items}, ` : ''}${quoted}${text.slice(close)}`;
  }
  const eol = lineEnding(text);
  const lines = body.split(/\r?\n/);
  const items = lines.filter((line) => line.trim() !== '');
  const indent = /^(\s*)/.exec(items.at(-1) ?? '')?.[1] || '    ';
  const lastLineStart = text.lastIndexOf('\n', close - 1) + 1;
  let before = text.slice(0, lastLineStart);
  // The previous item needs its comma (a trailing comment stays after it).
  before = before.replace(/(["'])(\s*(#[^\r\n]*)?)(\r?\n)$/, (match, quote: string, rest: string, _c, newline: string) =>
    /,\s*(#.*)?$/.test(rest) ? match : `${quote},${rest}${newline}`,
  );
  return `${before}${indent}${quoted},${eol}${text.slice(lastLineStart)}`;
}

function addToSetupCfg(text: string, requirement: string): string | null {
  const eol = lineEnding(text);
  const lines = text.split(/\r?\n/);
  const at = lines.findIndex((line) => /^install_requires\s*=/.test(line));
  if (at === -1) return null;
  let end = at + 1;
  while (end < lines.length && /^[ \t]+\S/.test(lines[end] as string)) end += 1;
  const indent = end > at + 1 ? (/^([ \t]+)/.exec(lines[end - 1] as string)?.[1] ?? '    ') : '    ';
  lines.splice(end, 0, `${indent}${requirement}`);
  return lines.join(eol);
}
