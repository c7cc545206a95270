/**
 * Dockerfiles that copy only the manifests before installing (`COPY package*.json ./` then
 * `RUN npm ci`, `COPY pyproject.toml uv.lock ./` then `RUN uv sync`) cannot install a dependency
 * the lockfile takes from `.ez-pixel/`: it is not in the image yet. This adds
 * `COPY .ez-pixel <dest>` just before each such install step, under a marker comment, as lines
 * install.json records (uninstall takes them out with the other recorded lines). Shared by every
 * runtime: the install commands of both are recognised. What it cannot place safely (an install
 * from a bind mount, a COPY it does not understand) becomes a note with the exact line to add.
 */
import { STATE_DIR } from '../package-managers/sdk.js';
import { lineEnding } from './line-file.js';
import type { FileEdit } from './plan.js';
import type { InstallState } from './state.js';

type Line = InstallState['lines'][number];
type ReadText = (path: string) => Promise<string | null>;

/** The Dockerfiles looked at, relative to the project root. */
export const DOCKERFILES = ['Dockerfile', 'Dockerfile.dev', 'Dockerfile.prod', 'docker/Dockerfile'];

export const DOCKER_MARKER = `# ez-pixel: the install step below takes the SDK from ${STATE_DIR}/`;

/** A RUN that installs from a lockfile or manifest: npm, pnpm, yarn, bun, uv, poetry, pdm, pipenv, pip -r (after any options). */
const INSTALL_STEP =
  /\b(npm\s+(ci|install|i)\b|pnpm\s+(install|i)\b|yarn(\s+install)?(\s+--\S+)*\s*($|&&|;)|bun\s+install\b|uv\s+(sync|pip\s+install)\b|poetry\s+install\b|pdm\s+(install|sync)\b|pipenv\s+(install|sync)\b|pip3?\s+install\s+(--?[\w-]+([=\s][^\s-]\S*)?\s+)*(-r|--requirement|\.))/;

/** A tool installed globally (`npm i -g pnpm`) needs no project files. */
const GLOBAL_INSTALL = /\bnpm\s+(install|i)\s+(-g|--global)\b/;

interface Instruction {
  /** Index of its first physical line. */
  line: number;
  keyword: string;
  /** The arguments, continuation lines joined. */
  args: string;
}

export interface DockerfilePart {
  edits: FileEdit[];
  lines: Line[];
  notes: string[];
}

export async function planDockerfileCopies(read: ReadText, previous: Line[]): Promise<DockerfilePart> {
  const part: DockerfilePart = { edits: [], lines: [], notes: [] };
  for (const path of DOCKERFILES) {
    const text = await read(path);
    if (text === null) continue;
    const kept = previous.filter((line) => line.file === path);
    const planned = addStateCopies(text);
    if (planned.manual.length > 0) {
      part.notes.push(`${path}: ${planned.manual.join('; ')}. Add this line before that install step yourself:\n${copyLine('./')}`);
    }
    if (planned.after === text) {
      part.lines.push(...kept);
      continue;
    }
    part.edits.push({ path, before: text, after: planned.after });
    part.lines.push(...kept, ...planned.added.map((line) => ({ file: path, line, createdFile: false })));
  }
  const ignored = await dockerIgnoresStateDir(read);
  if (ignored) part.notes.push(`.dockerignore has "${ignored}", which keeps ${STATE_DIR}/ out of the image; add a line !${STATE_DIR} after it`);
  return part;
}

/** The Dockerfile with our COPY before every install step that cannot see `.ez-pixel/` yet. */
export function addStateCopies(text: string): { after: string; added: string[]; manual: string[] } {
  const physical = text.split('\n');
  const eol = lineEnding(text);
  const inserts: Array<{ at: number; lines: string[] }> = [];
  const manual: string[] = [];
  let copied: Instruction[] = [];
  for (const instruction of instructions(physical)) {
    if (instruction.keyword === 'FROM') copied = [];
    if (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') copied.push(instruction);
    if (instruction.keyword !== 'RUN' || !INSTALL_STEP.test(instruction.args) || GLOBAL_INSTALL.test(instruction.args)) continue;
    const sources = copied.filter((copy) => !/--from[= ]/.test(copy.args));
    if (sources.some((copy) => copiesEverything(copy.args) || copiesStateDir(copy.args))) continue;
    if (/--mount=[^\s]*type=bind/.test(instruction.args)) {
      manual.push(`the install step at line ${instruction.line + 1} reads the manifests from a bind mount`);
      continue;
    }
    const last = sources.at(-1);
    const dest = last ? destination(last.args) : null;
    if (!dest) {
      if (last) manual.push(`the COPY at line ${last.line + 1} has no destination ez-pixel understands`);
      continue;
    }
    const copy = copyLine(dest, ownership(last!.args));
    inserts.push({ at: instruction.line, lines: [DOCKER_MARKER, copy] });
    copied.push({ line: instruction.line, keyword: 'COPY', args: copy.slice('COPY '.length) });
  }
  const added: string[] = [];
  for (const insert of [...inserts].reverse()) {
    physical.splice(insert.at, 0, ...insert.lines.map((line) => (eol === '\r\n' ? `${line}\r` : line)));
    added.unshift(...insert.lines);
  }
  return { after: physical.join('\n'), added, manual };
}

export function copyLine(dest: string, flags = ''): string {
  const target = dest === '.' || dest === './' ? `./${STATE_DIR}` : dest.endsWith('/') ? `${dest}${STATE_DIR}` : `${dest}/${STATE_DIR}`;
  return `COPY ${flags}${STATE_DIR} ${target}`;
}

/** Logical instructions: comments and blank lines skipped, `\` continuations joined. */
function instructions(physical: string[]): Instruction[] {
  const found: Instruction[] = [];
  for (let i = 0; i < physical.length; i++) {
    const start = i;
    const text = physical[i]!.replace(/\r$/, '').trim();
    if (text === '' || text.startsWith('#')) continue;
    let joined = text;
    while (joined.endsWith('\\') && i + 1 < physical.length) {
      i++;
      joined = `${joined.slice(0, -1)} ${physical[i]!.replace(/\r$/, '').trim()}`;
    }
    const [keyword = '', ...rest] = joined.split(/\s+/);
    found.push({ line: start, keyword: keyword.toUpperCase(), args: rest.join(' ') });
  }
  return found;
}

/** The words of a COPY after its --flags; JSON-array form too. */
function copyWords(args: string): string[] {
  const json = args.replace(/^(--\S+\s+)*/, '');
  if (json.startsWith('[')) {
    try {
      return (JSON.parse(json) as unknown[]).map(String);
    } catch {
      return [];
    }
  }
  return json.split(/\s+/).filter(Boolean);
}

function copiesEverything(args: string): boolean {
  const words = copyWords(args);
  return words.slice(0, -1).some((source) => source === '.' || source === './' || source === '*');
}

function copiesStateDir(args: string): boolean {
  return copyWords(args).slice(0, -1).some((source) => source.replace(/^\.\//, '').replace(/\/$/, '').startsWith(STATE_DIR));
}

function destination(args: string): string | null {
  const words = copyWords(args);
  if (words.length < 2) return null;
  const dest = words.at(-1)!;
  // A destination that is a file (COPY package.json package.json) or holds a variable is not one to build on.
  return dest.endsWith('/') || dest === '.' || (words.length > 2 && !dest.includes('$')) ? dest : null;
}

function ownership(args: string): string {
  return (args.match(/--(chown|chmod)=\S+\s+/g) ?? []).join('');
}

async function dockerIgnoresStateDir(read: ReadText): Promise<string | null> {
  const text = await read('.dockerignore');
  if (text === null) return null;
  const patterns = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
  let ignoring: string | null = null;
  for (const pattern of patterns) {
    const bare = pattern.replace(/^!/, '').replace(/^\.?\//, '').replace(/\/$/, '');
    const matches = bare === STATE_DIR || bare === '.*' || bare === '**/.*' || bare === `**/${STATE_DIR}`;
    if (matches) ignoring = pattern.startsWith('!') ? null : pattern;
  }
  return ignoring;
}
