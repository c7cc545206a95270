/**
 * What the HTML parser says about one page of a static site: its <script> elements and where they
 * start, whether it runs JavaScript at all, its </head>, its <base href>, and whether it is too
 * broken to edit. parse5 is the WHATWG parsing algorithm itself (what the browser will do with the
 * same bytes: comments, <template> contents, `<script>` inside a script's string, uppercase tags,
 * a missing <head>) and gives each element's source offsets, so edits splice the original text.
 */
import { parse, type DefaultTreeAdapterMap } from 'parse5';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

export interface PageScript {
  /** Offset of `<script` in the source. */
  start: number;
  src: string | null;
  /** 1-based line, for messages. */
  line: number;
}

export interface PageFacts {
  /** A <script> of a JavaScript type or an on… handler attribute: the page can throw. */
  runsScript: boolean;
  /** Every <script> element, in document order (a <template>'s are not the page's). */
  scripts: PageScript[];
  /** Offset of `</head>` in the source, null when the page has none written. */
  headEnd: number | null;
  /** The first <base href>, which relative script URLs after it resolve against. */
  base: { href: string; start: number } | null;
  /** Why the page cannot be edited safely (it ends inside a comment, a tag or a script), or null. */
  broken: string | null;
}

/** Types a browser runs as JavaScript (JSON-LD, import maps and templates are data). */
const JAVASCRIPT_TYPE = /^(module|(text|application)\/(x-)?(javascript|ecmascript)|text\/jscript)$/i;

/** Parse errors after which the rest of the page is not what it looks like (an unclosed comment swallows it). */
const TRUNCATING_ERROR = /^eof-in-/;

function attribute(element: Element, name: string): string | null {
  return element.attrs.find((attr) => attr.name === name)?.value ?? null;
}

function isElement(node: Node): node is Element {
  return 'tagName' in node;
}

export function readPage(text: string): PageFacts {
  // parse5 reads a BOM as text (it would start <body> there); offsets are shifted back by it.
  const bom = text.startsWith('\uFEFF') ? 1 : 0;
  const errors: string[] = [];
  const document = parse(text.slice(bom), { sourceCodeLocationInfo: true, onParseError: (error) => errors.push(`${error.code} at line ${error.startLine}`) });
  const facts: PageFacts = { runsScript: false, scripts: [], headEnd: null, base: null, broken: errors.find((error) => TRUNCATING_ERROR.test(error)) ?? null };
  const visit = (node: Node): void => {
    if (isElement(node)) {
      const location = node.sourceCodeLocation;
      if (node.attrs.some((attr) => /^on[a-z]+$/.test(attr.name))) facts.runsScript = true;
      if (node.tagName === 'script' && location) {
        const type = attribute(node, 'type');
        if (type === null || type.trim() === '' || JAVASCRIPT_TYPE.test(type.trim())) facts.runsScript = true;
        facts.scripts.push({ start: location.startOffset + bom, src: attribute(node, 'src'), line: location.startLine });
      }
      if (node.tagName === 'head' && location?.endTag) facts.headEnd = location.endTag.startOffset + bom;
      const href = node.tagName === 'base' ? attribute(node, 'href') : null;
      if (href !== null && facts.base === null && location) facts.base = { href, start: location.startOffset + bom };
    }
    // A <template>'s children live in its `content`, apart from the page: never visited.
    for (const child of 'childNodes' in node ? node.childNodes : []) visit(child);
  };
  visit(document);
  return facts;
}
