/**
 * The entries React Router (or Remix) uses when the app has none: the defaults `react-router
 * reveal entry.server` and `reveal entry.client` (`remix reveal`) copy out of the installed
 * @react-router/dev (@remix-run/dev), so they match the app's version; nothing is fetched. For a
 * JavaScript app the types are taken out, as reveal's --no-typescript does.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Node as MorphNode } from 'ts-morph';
import type { RouterFramework } from '../frameworks/routers.js';
import { parseFile, release, type ParsedFile } from './js-ast.js';

export type DefaultEntry = { kind: 'default'; text: string } | { kind: 'missing'; reason: string };

export async function defaultServerEntry(root: string, router: RouterFramework, dependencies: Set<string>, typed: boolean): Promise<DefaultEntry> {
  // What reveal itself requires: its default server entry is the Node one, and it imports isbot.
  const needed = [router.serverRuntime, 'isbot'].filter((name) => !dependencies.has(name));
  if (needed.length > 0) return { kind: 'missing', reason: `${router.name}'s default server entry needs ${needed.join(' and ')} among the dependencies` };
  return defaultEntry(root, router, 'entry.server.node.tsx', typed);
}

export function defaultClientEntry(root: string, router: RouterFramework, typed: boolean): Promise<DefaultEntry> {
  return defaultEntry(root, router, 'entry.client.tsx', typed);
}

async function defaultEntry(root: string, router: RouterFramework, name: string, typed: boolean): Promise<DefaultEntry> {
  let text: string;
  try {
    const dev = dirname(createRequire(join(root, 'package.json')).resolve(`${router.dev}/package.json`));
    text = readFileSync(join(dev, 'dist', 'config', 'defaults', name), 'utf8');
  } catch {
    return { kind: 'missing', reason: `${router.dev} is not installed here (its default ${name} is read from it): install the dependencies first` };
  }
  return { kind: 'default', text: typed ? text : await withoutTypes(text) };
}

/** The TSX without its types: type-only imports, annotations, `as` casts, type declarations. */
async function withoutTypes(tsx: string): Promise<string> {
  const result = await parseFile('entry.server.tsx', tsx);
  if (result.kind === 'error') throw new Error(`a default entry does not parse: ${result.reason}`);
  const { parsed } = result;
  try {
    // Last first, so each removal leaves the positions of the ones still to do intact.
    const nodes = parsed.file.getDescendants().filter((node) => isTypeOnly(parsed, node)).reverse();
    for (const node of nodes) strip(parsed, node);
    return parsed.file.getFullText();
  } finally {
    release(parsed);
  }
}

function isTypeOnly(parsed: ParsedFile, node: MorphNode): boolean {
  const { Node } = parsed;
  if (Node.isImportDeclaration(node) || Node.isImportSpecifier(node)) return node.isTypeOnly();
  if (Node.isParameterDeclaration(node) || Node.isVariableDeclaration(node)) return node.getTypeNode() !== undefined;
  if (Node.isFunctionDeclaration(node) || Node.isMethodDeclaration(node) || Node.isArrowFunction(node)) return node.getReturnTypeNode() !== undefined;
  return Node.isAsExpression(node) || Node.isTypeAliasDeclaration(node) || Node.isInterfaceDeclaration(node);
}

function strip(parsed: ParsedFile, node: MorphNode): void {
  const { Node } = parsed;
  if (Node.isParameterDeclaration(node) || Node.isVariableDeclaration(node)) node.removeType();
  else if (Node.isFunctionDeclaration(node) || Node.isMethodDeclaration(node) || Node.isArrowFunction(node)) node.removeReturnType();
  else if (Node.isAsExpression(node)) node.replaceWithText(node.getExpression().getText());
  else if (Node.isImportDeclaration(node) || Node.isImportSpecifier(node) || Node.isTypeAliasDeclaration(node) || Node.isInterfaceDeclaration(node)) node.remove();
}
