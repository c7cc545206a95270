/**
 * Where a Vue app's entry makes its app, read with ts-morph: each `createApp(…)` / `createSSRApp(…)`
 * imported from 'vue' (named, renamed or through a namespace), and vite-ssg's
 * `ViteSSG(App, …, (ctx) => {…})`, which makes the app itself and hands it to the setup callback.
 * Each site is either wired already (wrapped in reportVueErrors, or the callback's first line calls
 * it) or an insertion to make; an entry with no site it knows is `unrecognised`, with the reason.
 */
import type { Node as MorphNode } from 'ts-morph';
import { lineStartAt } from '../../../inject/lines.js';
import { parseFile, release, type ParsedFile } from '../../node/wiring/js-ast.js';
import { VUE_HANDLER } from './template.js';

export type VueSite =
  /** Insert `reportVueErrors(` at `start` and `)` at `end` (offsets in the source). */
  | { kind: 'wrap'; start: number; end: number; wired: boolean }
  /** A line `reportVueErrors(app)` at the line start `offset`, first in vite-ssg's setup callback. */
  | { kind: 'setup'; offset: number; indent: string; app: string; wired: boolean };

export type VueApps =
  /** `afterImports`: the start of the line after the file's last import, where the handler's import goes (relative imports come last in every import order a linter enforces). */
  | { kind: 'sites'; sites: VueSite[]; afterImports: number | null }
  | { kind: 'unrecognised'; reason: string }
  | { kind: 'unparseable'; reason: string };

const APP_MAKERS = ['createApp', 'createSSRApp'];
const SSG_MODULES = ['vite-ssg', 'vite-ssg/single-page'];

/** The local names the file's imports give `names` from one of `modules`: `createApp`, `Vue.createApp`, `make` for `createApp as make`. */
function importedCallees(parsed: ParsedFile, modules: string[], names: string[]): Set<string> {
  const callees = new Set<string>();
  for (const declaration of parsed.file.getImportDeclarations()) {
    if (!modules.includes(declaration.getModuleSpecifierValue()) || declaration.isTypeOnly()) continue;
    for (const named of declaration.getNamedImports()) {
      if (names.includes(named.getName())) callees.add(named.getAliasNode()?.getText() ?? named.getName());
    }
    const namespace = declaration.getNamespaceImport()?.getText();
    if (namespace) for (const name of names) callees.add(`${namespace}.${name}`);
  }
  return callees;
}

function isHandlerCall(parsed: ParsedFile, node: MorphNode | undefined): boolean {
  return node !== undefined && parsed.Node.isCallExpression(node) && node.getExpression().getText() === VUE_HANDLER;
}

/** vite-ssg's setup callback: where its first line goes and how it names the app; a reason when it cannot take one. */
function setupSite(parsed: ParsedFile, call: MorphNode): VueSite | string {
  const { Node, text } = parsed;
  if (!Node.isCallExpression(call)) return 'not a call';
  const callback = call.getArguments().find((argument) => Node.isArrowFunction(argument) || Node.isFunctionExpression(argument));
  if (!callback || !(Node.isArrowFunction(callback) || Node.isFunctionExpression(callback))) return 'ViteSSG(…) has no setup callback ((ctx) => {…}) to give the app to';
  const body = callback.getBody();
  const [param] = callback.getParameters();
  if (!Node.isBlock(body) || !param) return "ViteSSG(…)'s setup callback has no block body or no parameter";
  const name = param.getNameNode();
  let app: string | null = null;
  if (Node.isIdentifier(name)) app = `${name.getText()}.app`;
  else if (Node.isObjectBindingPattern(name)) {
    const element = name.getElements().find((candidate) => (candidate.getPropertyNameNode()?.getText() ?? candidate.getName()) === 'app');
    app = element && !element.getDotDotDotToken() ? element.getName() : null;
  }
  if (!app) return "ViteSSG(…)'s setup callback does not take the app ({ app })";
  const first = body.getStatements()[0];
  const wired = first !== undefined && Node.isExpressionStatement(first) && isHandlerCall(parsed, first.getExpression());
  // The line after the `{`, indented as the body's first statement: only when the brace ends its line.
  const brace = body.getStart() + 1;
  const lineEnd = /\r\n|\n|\r/.exec(text.slice(brace));
  if (!lineEnd || text.slice(brace, brace + lineEnd.index).trim() !== '' || !first) return "ViteSSG(…)'s setup callback is empty or on one line";
  const offset = brace + lineEnd.index + lineEnd[0].length;
  const indent = /^[ \t]*/.exec(text.slice(lineStartAt(text, first.getStart())))?.[0] ?? '';
  return { kind: 'setup', offset: offset + parsed.shift, indent, app, wired };
}

/** The start of the line after `node` when nothing else follows it on its line. */
function lineAfter(parsed: ParsedFile, node: MorphNode | undefined): number | null {
  if (!node) return null;
  const rest = parsed.text.slice(node.getEnd());
  const end = /^[ \t]*(\/\/[^\r\n]*)?(\r\n|\n|\r)/.exec(rest);
  return end ? node.getEnd() + end[0].length + parsed.shift : null;
}

export async function findVueApps(entryPath: string, source: string): Promise<VueApps> {
  const result = await parseFile(entryPath, source);
  if (result.kind === 'error') return { kind: 'unparseable', reason: result.reason };
  const { parsed } = result;
  try {
    const { Node } = parsed;
    const makers = importedCallees(parsed, ['vue'], APP_MAKERS);
    const ssg = importedCallees(parsed, SSG_MODULES, ['ViteSSG']);
    const sites: VueSite[] = [];
    for (const call of parsed.file.getDescendants()) {
      if (!Node.isCallExpression(call)) continue;
      const callee = call.getExpression().getText();
      if (makers.has(callee)) {
        sites.push({ kind: 'wrap', start: call.getStart() + parsed.shift, end: call.getEnd() + parsed.shift, wired: isHandlerCall(parsed, call.getParent()) });
      } else if (ssg.has(callee)) {
        const site = setupSite(parsed, call);
        if (typeof site === 'string') return { kind: 'unrecognised', reason: site };
        sites.push(site);
      }
    }
    if (sites.length > 0) return { kind: 'sites', sites, afterImports: lineAfter(parsed, parsed.file.getImportDeclarations().at(-1)) };
    return { kind: 'unrecognised', reason: "it calls no createApp(…) imported from 'vue' (nor vite-ssg's ViteSSG(…)): the app is made elsewhere" };
  } finally {
    release(parsed);
  }
}

/** Every reportVueErrors(createApp(…)) wrap, as the [start, end) of the call and of its argument (for the exact unwrap). */
export async function vueWraps(entryPath: string, source: string): Promise<{ call: [number, number]; inner: [number, number] }[] | null> {
  const result = await parseFile(entryPath, source);
  if (result.kind === 'error') return null;
  const { parsed } = result;
  try {
    const { Node, shift } = parsed;
    const wraps = [];
    for (const call of parsed.file.getDescendants()) {
      if (!isHandlerCall(parsed, call) || !Node.isCallExpression(call)) continue;
      const [inner, ...rest] = call.getArguments();
      if (!inner || rest.length > 0 || !Node.isCallExpression(inner)) continue; // vite-ssg's line: removed as a line
      wraps.push({ call: [call.getStart() + shift, call.getEnd() + shift] as [number, number], inner: [inner.getStart() + shift, inner.getEnd() + shift] as [number, number] });
    }
    return wraps;
  } finally {
    release(parsed);
  }
}
