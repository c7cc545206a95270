/**
 * Vite builds no source maps unless told, so every browser event would arrive minified. Install
 * turns on `build.sourcemap: 'hidden'`: the maps are written beside the scripts (listen reads them
 * there, `sourcemaps upload` sends them) and the bundle carries no `//# sourceMappingURL`, so the
 * page does not point to its sources. One marked line goes in, found through the AST of the object
 * the config exports (`defineConfig({…})`, `defineConfig(() => ({…}))`, an object, a variable):
 * `build: { sourcemap: 'hidden' }, // ez-pixel` first in it, or `sourcemap: 'hidden', // ez-pixel`
 * first in its own `build: {…}`. A `sourcemap` the config already sets is the user's choice and
 * stays. A shape we cannot edit safely (a function with a body, a one-line object) is a note.
 * An app with no config gets vite.config.mjs holding just that line.
 * Uninstall takes the line out by its marker, giving back the file byte for byte.
 */
import type { Node as MorphNode, ObjectLiteralExpression } from 'ts-morph';
import type { Removal } from '../../../inject/index.js';
import { indentationAt, insertLines, lineEndingOf, lineKey, lineStartAt, removeLines } from '../../../inject/lines.js';
import type { FileEdit } from '../../../plan/plan.js';
import { parseFile, release, unwrap, type ParsedFile } from './js-ast.js';

export const viteConfigFiles = ['vite.config.ts', 'vite.config.mts', 'vite.config.cts', 'vite.config.js', 'vite.config.mjs', 'vite.config.cjs'];

export const buildLine = "build: { sourcemap: 'hidden' }, // ez-pixel";
export const sourcemapLine = "sourcemap: 'hidden', // ez-pixel";
/** doctor's fix for client chunks built without maps (a config install could not edit, or the line taken out). */
export const VITE_MAPS_SWITCH = "build: { sourcemap: 'hidden' } in vite.config";
const ours = new Set([buildLine, sourcemapLine].map(lineKey));
const MARKED = /\/\/ ez-pixel\s*$/;

const why = "so error reports show your source (maps beside the scripts, not linked from them: README \"Source maps\")";
const manualSnippet = `// vite.config: source maps for error reports, not linked from the bundle\nbuild: { sourcemap: 'hidden' },`;

export type SourceMapsPlan = { kind: 'edit'; edit: FileEdit; note: string } | { kind: 'present' } | { kind: 'manual'; note: string };

type Read = (path: string) => Promise<string | null>;

export async function planHiddenSourceMaps(read: Read): Promise<SourceMapsPlan> {
  for (const path of viteConfigFiles) {
    const source = await read(path);
    if (source === null) continue;
    const result = await parseFile(path, source);
    const manual = (reason: string): SourceMapsPlan => ({ kind: 'manual', note: `source maps: cannot turn them on in ${path} (${reason}); add to its config ${why}:\n${manualSnippet}` });
    if (result.kind === 'error') return manual(`cannot parse it: ${result.reason}`);
    try {
      const placed = placeLine(result.parsed, source);
      if (placed.kind === 'manual') return manual(placed.reason);
      if (placed.kind === 'present') return placed;
      return { kind: 'edit', edit: { path, before: source, after: placed.text }, note: `source maps: ${path} gets build.sourcemap 'hidden' ${why}` };
    } finally {
      release(result.parsed);
    }
  }
  // A config named on the command line (`vite build --config …`) is the one Vite loads: a new vite.config would do nothing.
  if (/--config\b|\s-c\s/.test((await read('package.json')) ?? '')) {
    return { kind: 'manual', note: `source maps: package.json names its own Vite config (--config); add to it ${why}:\n${manualSnippet}` };
  }
  // .mjs: ES module syntax whatever package.json's "type"; uninstall deletes it by its recorded hash.
  const after = `// Created by \`ez-pixel install\`: source maps for error reports, written beside the scripts and not linked from them.\nexport default {\n  ${buildLine}\n};\n`;
  return { kind: 'edit', edit: { path: createdConfig, before: null, after }, note: `source maps: created ${createdConfig} with build.sourcemap 'hidden' ${why}` };
}

const createdConfig = 'vite.config.mjs';

export function removeHiddenSourceMaps(source: string): Removal {
  const removal = removeLines(source, (line) => ours.has(lineKey(line)), MARKED);
  if (removal.kind === 'edited') return { kind: 'manual', reason: 'the source-map line marked ez-pixel was changed after install; remove it by hand', snippet: removal.lines.join('\n') };
  return removal.count === 0 ? { kind: 'absent' } : { kind: 'remove', after: removal.after };
}

type Placed = { kind: 'text'; text: string } | { kind: 'present' } | { kind: 'manual'; reason: string };

function placeLine(parsed: ParsedFile, source: string): Placed {
  const { Node } = parsed;
  // Set anywhere (`config.build.sourcemap = …`, a `sourcemap` key): the user's choice.
  if (/\bsourcemap\b/.test(parsed.text)) return { kind: 'present' };
  const config = exportedObject(parsed);
  if (!config) return { kind: 'manual', reason: 'its export is not an object literal, defineConfig({…}) or defineConfig(() => ({…}))' };
  const build = config.getProperty('build');
  if (build) {
    const inner = Node.isPropertyAssignment(build) ? unwrap(parsed, build.getInitializerOrThrow()) : undefined;
    if (!inner || !Node.isObjectLiteralExpression(inner)) return { kind: 'manual', reason: 'its `build` is not an object literal' };
    return firstLineIn(parsed, source, inner, sourcemapLine);
  }
  return firstLineIn(parsed, source, config, buildLine);
}

/** `line` as the object's first property, on a line of its own: the object must already span lines. */
function firstLineIn(parsed: ParsedFile, source: string, object: ObjectLiteralExpression, line: string): Placed {
  const first = object.getProperties()[0];
  if (!first) return { kind: 'manual', reason: 'its config object is empty' };
  const lineStart = lineStartAt(parsed.text, first.getStart());
  if (parsed.text.slice(lineStart, first.getStart()).trim() !== '') return { kind: 'manual', reason: 'its config object is on one line' };
  const text = insertLines(source, [{ offset: lineStart + parsed.shift, lines: [indentationAt(parsed.text, lineStart) + line] }], lineEndingOf(source));
  return { kind: 'text', text };
}

/** The object `export default` / `module.exports =` gives: through defineConfig(…), an arrow's `({…})`, a variable, `as`/`satisfies`. */
function exportedObject(parsed: ParsedFile): ObjectLiteralExpression | null {
  const { Node } = parsed;
  for (const statement of parsed.file.getStatements()) {
    let value: MorphNode | undefined;
    if (Node.isExportAssignment(statement)) value = statement.getExpression();
    else if (Node.isExpressionStatement(statement)) {
      const expression = statement.getExpression();
      if (Node.isBinaryExpression(expression) && expression.getOperatorToken().getText() === '=' && expression.getLeft().getText() === 'module.exports') value = expression.getRight();
    }
    if (value) return configObject(parsed, value);
  }
  return null;
}

function configObject(parsed: ParsedFile, node: MorphNode): ObjectLiteralExpression | null {
  const { Node } = parsed;
  const value = unwrap(parsed, node);
  if (Node.isObjectLiteralExpression(value)) return value;
  if (Node.isCallExpression(value) && value.getArguments().length === 1 && value.getExpression().getText() === 'defineConfig') return configObject(parsed, value.getArguments()[0] as MorphNode);
  if (Node.isArrowFunction(value)) {
    const body = value.getBody();
    return Node.isBlock(body) ? null : configObject(parsed, body);
  }
  if (Node.isIdentifier(value)) {
    const declaration = parsed.file.getVariableDeclaration(value.getText());
    const init = declaration?.getInitializer();
    return init ? configObject(parsed, init) : null;
  }
  return null;
}
