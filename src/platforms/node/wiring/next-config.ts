/**
 * Next.js 13.2–14 runs instrumentation.ts only with `experimental.instrumentationHook` set in
 * next.config.*. Found through the AST: the object the config exports (`module.exports = …`,
 * `export default …`, through a variable and plugin wrappers such as `withBundleAnalyzer(config)`).
 * One marked line goes in: `nextConfig.experimental = { ...nextConfig.experimental, instrumentationHook: true };` before
 * the export when the config is a variable, or `experimental: { instrumentationHook: true },` first
 * in an exported object literal. Uninstall takes that line out by its marker. A missing config is
 * created (next.config.mjs); a config we cannot read (a function of the phase) is left to the user.
 */
import type { Node as MorphNode, Statement } from 'ts-morph';
import type { InitWiring } from '../../../templates/index.js';
import { lineBefore, parseFile, release, unwrap, type ParsedFile } from './js-ast.js';
import { indentationAt, insertLines, lineEndingOf, lineStartAt } from '../../../inject/lines.js';

export const nextConfigFiles = ['next.config.js', 'next.config.mjs', 'next.config.cjs', 'next.config.ts'];
const createdConfig = 'next.config.mjs';

/**
 * `{app}` is the config's variable. The line starts with it, never with `(`: in a file without
 * semicolons (prettier's semi: false) a line starting with `(` calls the object literal above it,
 * and next.config.js threw "Cannot access 'nextConfig' before initialization" (found on
 * Yuefii/starter-monorepo).
 */
export const flagStatement = '{app}.experimental = { ...{app}.experimental, instrumentationHook: true }; // ez-pixel';
/** The line installs before that fix wrote; uninstall still takes it out. */
export const earlierFlagStatement = '({app}.experimental ??= {}).instrumentationHook = true; // ez-pixel';

export type ConfigEdit =
  | { kind: 'edit'; path: string; text: string }
  | { kind: 'present' }
  | { kind: 'manual'; reason: string; snippet: string };

const manualSnippet = '// next.config.js: instrumentation.ts runs on Next.js 13.2–14 only with\nexperimental: { instrumentationHook: true },';

export async function enableInstrumentationHook(wiring: InitWiring, read: (path: string) => Promise<string | null>): Promise<ConfigEdit> {
  const next = wiring.next;
  if (!next) throw new Error('enableInstrumentationHook needs a Next.js wiring');
  for (const path of nextConfigFiles) {
    const source = await read(path);
    if (source === null) continue;
    const result = await parseFile(path, source);
    if (result.kind === 'error') return { kind: 'manual', reason: `cannot parse ${path} (${result.reason})`, snippet: manualSnippet };
    try {
      return placeFlag(result.parsed, path, source, next);
    } finally {
      release(result.parsed);
    }
  }
  return { kind: 'edit', path: createdConfig, text: `// Created by \`ez-pixel install\`: instrumentation.ts runs on Next.js 13.2–14 only with this flag.\nexport default {\n  ${next.configLine}\n};\n` };
}

function placeFlag(parsed: ParsedFile, path: string, source: string, next: NonNullable<InitWiring['next']>): ConfigEdit {
  const { Node } = parsed;
  if (/\binstrumentationHook\s*(:|=)/.test(parsed.text)) return { kind: 'present' };
  const statements = parsed.file.getStatements();
  const exported = exportedConfig(parsed, statements);
  const manual = (why: string): ConfigEdit => ({ kind: 'manual', reason: `cannot enable the instrumentation hook in ${path}: ${why}`, snippet: manualSnippet });
  if (!exported) return manual('it exports no config object we can read');
  const eol = lineEndingOf(source);
  let value: MorphNode = exported.value;
  while (Node.isCallExpression(value) && value.getArguments()[0]) value = value.getArguments()[0] as MorphNode; // withPlugin(config)
  value = unwrap(parsed, value);
  if (Node.isIdentifier(value) && variableObject(parsed, statements, value.getText())) {
    const at = lineBefore(parsed, exported.statement);
    if (at.kind === 'ambiguous') return manual(at.reason);
    const line = at.indent + flagStatement.replace(/\{app\}/g, value.getText());
    return { kind: 'edit', path, text: insertLines(source, [{ offset: at.offset, lines: [line] }], eol) };
  }
  if (!Node.isObjectLiteralExpression(value)) return manual('its config is not an object (a function of the phase?)');
  // An `experimental` object of its own gets the flag inside it; otherwise the config gets an `experimental`.
  const experimental = value.getProperty('experimental');
  const inner = experimental && Node.isPropertyAssignment(experimental) ? experimental.getInitializer() : undefined;
  if (experimental && !(inner && Node.isObjectLiteralExpression(inner))) return manual('its `experimental` is not an object literal');
  const target = inner && Node.isObjectLiteralExpression(inner) ? inner : value;
  const first = target.getProperties()[0];
  if (!first) return manual(`its ${target === value ? 'config' : '`experimental`'} object is empty and on one line`);
  const lineStart = lineStartAt(parsed.text, first.getStart());
  if (parsed.text.slice(lineStart, first.getStart()).trim() !== '') return manual('its config object is on one line');
  const line = indentationAt(parsed.text, lineStart) + (target === value ? next.configLine : next.flagLine);
  return { kind: 'edit', path, text: insertLines(source, [{ offset: lineStart + parsed.shift, lines: [line] }], eol) };
}

/** `module.exports = X` or `export default X`: the statement and X. */
function exportedConfig(parsed: ParsedFile, statements: Statement[]): { statement: Statement; value: MorphNode } | null {
  const { Node } = parsed;
  for (const statement of statements) {
    if (Node.isExportAssignment(statement)) return { statement, value: statement.getExpression() };
    if (Node.isExpressionStatement(statement)) {
      const expression = statement.getExpression();
      if (Node.isBinaryExpression(expression) && expression.getOperatorToken().getText() === '=' && expression.getLeft().getText() === 'module.exports') {
        return { statement, value: expression.getRight() };
      }
    }
  }
  return null;
}

/** Is `name` a top-level variable holding an object literal? */
function variableObject(parsed: ParsedFile, statements: Statement[], name: string): boolean {
  const { Node } = parsed;
  return statements.some(
    (statement) =>
      Node.isVariableStatement(statement) &&
      statement.getDeclarations().some((d) => {
        const init = d.getInitializer();
        return d.getName() === name && init !== undefined && Node.isObjectLiteralExpression(unwrap(parsed, init));
      }),
  );
}
