/**
 * Real-world-shaped entries (test/fixtures/inject/entries), each in four byte variants: as written
 * (LF), CRLF, BOM, and without a final newline. For every one: the init is inserted as whole lines
 * only, it then loads first by the parser's own account, and uninstall gives back the exact bytes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { addInit, initLoadOrder, removeInit } from '../src/inject/index.js';
import { initWiringFor } from '../src/templates/index.js';
import type { Project } from '../src/project.js';
import { nodeProject, pythonProject, settings } from './fixtures/inject/projects.js';

const dir = fileURLToPath(new URL('./fixtures/inject/entries/', import.meta.url));
const fixtures = readdirSync(dir).sort();

const variants: [string, (text: string) => string][] = [
  ['LF', (text) => text],
  ['CRLF', (text) => text.replace(/\n/g, '\r\n')],
  ['BOM', (text) => `\uFEFF${text}`],
  ['no final newline', (text) => text.replace(/\n+$/, '')],
];

function projectFor(name: string): Project {
  if (name.endsWith('.py')) return pythonProject({ entry: name });
  const typescript = /\.[cm]?tsx?$/.test(name);
  return nodeProject({ entry: name, typescript, moduleSystem: extname(name) === '.cjs' ? 'cjs' : 'esm' });
}

describe.each(fixtures)('%s', (name) => {
  const original = readFileSync(join(dir, name), 'utf8');
  it.each(variants)('%s: insert only whole lines, load first, uninstall byte-identical', async (_variant, transform) => {
    const source = transform(original);
    const project = projectFor(name);
    const wiring = initWiringFor(project, settings);
    const injection = await addInit(project, name, source, wiring);
    if (injection.kind !== 'insert') throw new Error(JSON.stringify(injection));
    const eol = source.includes('\r\n') ? '\r\n' : '\n';
    expect(injection.after.length).toBe(source.length + wiring.entryLines.join(eol).length + eol.length);
    expect(injection.after).toContain(wiring.entryLines[0]);
    expect(await initLoadOrder(project, name, injection.after)).toEqual({ kind: 'first' });
    expect(await removeInit(project, injection.after, wiring)).toEqual({ kind: 'remove', after: source });
  });
});
