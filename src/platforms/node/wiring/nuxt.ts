/**
 * Nuxt: the entry is the Nitro server plugin install creates whole. An existing file of that name
 * that does not load our init is the user's: it is left alone and they get the lines to add.
 * Uninstall deletes the plugin when it is still ours (formatted or not), keeping what was added below.
 */
import type { Injection, LoadOrder, Removal } from '../../../inject/index.js';
import type { InitWiring } from '../../../templates/index.js';
import { removeCreatedHead } from './created-file.js';
import { loadsInit, parseFile, release } from './js-ast.js';
import { sameCode } from './same-code.js';

function created(wiring: InitWiring): string {
  if (!wiring.nuxt) throw new Error('Nuxt injection needs a Nuxt wiring (initWiringFor with framework "nuxt")');
  return wiring.nuxt.created;
}

export async function addNuxtInit(entryPath: string, source: string | null, wiring: InitWiring): Promise<Injection> {
  if (source === null) return { kind: 'insert', after: created(wiring) };
  const result = await parseFile(entryPath, source);
  if (result.kind === 'parsed') {
    try {
      if (result.parsed.file.getStatements().some((statement) => loadsInit(result.parsed, statement))) return { kind: 'present' };
    } finally {
      release(result.parsed);
    }
  }
  return { kind: 'manual', reason: `${entryPath} already exists and is not ez-pixel's; make it (or another server plugin) start with these lines`, snippet: wiring.importStatement };
}

export function removeNuxtInit(source: string, wiring: InitWiring): Removal {
  const ours = created(wiring);
  const head = removeCreatedHead(source, ours);
  if (head) return head;
  // Reformatted since (prettier, eslint --fix, an import sorter) but still our code: ours to delete.
  if (sameCodeAnyImportOrder(source, ours)) return { kind: 'remove', after: null };
  if (source.includes('nitroErrorHook')) {
    return { kind: 'manual', reason: 'the server plugin was edited after install: delete it, or take out its ez-pixel lines, by hand', snippet: wiring.importStatement };
  }
  return { kind: 'absent' };
}

/**
 * The same code up to the order of its one-line imports: a sorter (antfu's eslint config, found on
 * antfu/vitesse-nuxt) moves `@ez-pixel/node`'s import above our header and the init's.
 */
function sameCodeAnyImportOrder(source: string, ours: string): boolean {
  const split = (text: string) => {
    const lines = text.split(/\r?\n/);
    const isImport = (line: string) => /^\s*import\s/.test(line);
    return { imports: lines.filter(isImport), rest: lines.filter((line) => !isImport(line)).join('\n') };
  };
  const [theirs, mine] = [split(source), split(ours)];
  const importsMatch = theirs.imports.length === mine.imports.length && mine.imports.every((line) => theirs.imports.some((other) => sameCode(other, line)));
  return importsMatch && sameCode(theirs.rest, mine.rest);
}

/** Nitro evaluates every plugin module's imports before it runs any plugin: loading the init at all is loading it first. */
export async function nuxtLoadOrder(entryPath: string, source: string): Promise<LoadOrder> {
  const result = await parseFile(entryPath, source);
  if (result.kind === 'error') return { kind: 'unparseable', reason: result.reason };
  try {
    return result.parsed.file.getStatements().some((statement) => loadsInit(result.parsed, statement)) ? { kind: 'first' } : { kind: 'missing' };
  } finally {
    release(result.parsed);
  }
}
