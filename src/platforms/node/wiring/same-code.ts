/**
 * Is this still the file we generated, after the user's formatter ran over it? Two JS/TS texts
 * are the same code when their tokens are: whitespace, line breaks, semicolons, commas (ASI,
 * trailing commas) and the quote style of string literals do not count; comments and every name
 * and value do. prettier --write and eslint --fix leave a generated file the same code.
 */
import { loadTsMorph } from '../../../load-ts-morph.js';

export function sameCode(a: string, b: string): boolean {
  const left = tokens(a);
  const right = tokens(b);
  return left !== null && right !== null && left.length === right.length && left.every((token, i) => token === right[i]);
}

function tokens(text: string): string[] | null {
  const { ts } = loadTsMorph();
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, text.replace(/^\uFEFF/, ''));
  const result: string[] = [];
  const { SyntaxKind } = ts;
  let previous: number | undefined;
  // The scanner reads `/` as division; where an expression starts, it is a regular expression.
  const regexMayStart = (): boolean =>
    previous === undefined ||
    (previous >= SyntaxKind.FirstPunctuation && previous <= SyntaxKind.LastPunctuation && ![SyntaxKind.CloseParenToken, SyntaxKind.CloseBracketToken, SyntaxKind.CloseBraceToken].includes(previous)) ||
    previous === SyntaxKind.ReturnKeyword ||
    previous === SyntaxKind.TypeOfKeyword;
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if ((kind === SyntaxKind.SlashToken || kind === SyntaxKind.SlashEqualsToken) && regexMayStart()) kind = scanner.reScanSlashToken();
    if (kind === ts.SyntaxKind.Unknown) return null;
    const trivia = kind === SyntaxKind.WhitespaceTrivia || kind === SyntaxKind.NewLineTrivia || kind === SyntaxKind.SingleLineCommentTrivia || kind === SyntaxKind.MultiLineCommentTrivia;
    if (!trivia) previous = kind;
    if (kind === ts.SyntaxKind.WhitespaceTrivia || kind === ts.SyntaxKind.NewLineTrivia) continue;
    if (kind === ts.SyntaxKind.SemicolonToken || kind === ts.SyntaxKind.CommaToken) continue;
    if (kind === ts.SyntaxKind.SingleLineCommentTrivia || kind === ts.SyntaxKind.MultiLineCommentTrivia) {
      result.push(`comment:${scanner.getTokenText().replace(/\s+/g, ' ').trim()}`);
      continue;
    }
    result.push(kind === ts.SyntaxKind.StringLiteral ? `string:${scanner.getTokenValue()}` : scanner.getTokenText());
  }
  return result;
}
