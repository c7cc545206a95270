/**
 * Read-only access to the few files detection looks at, relative to one directory. Reads are
 * cached for the life of one detection, and nothing below node_modules is ever opened: detection
 * reads manifests, lockfiles and a handful of conventional paths, never the whole tree.
 */
import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { parse as parseToml } from 'smol-toml';

export type JsonObject = Record<string, unknown>;

export class ProjectFiles {
  private readonly texts = new Map<string, Promise<string | null>>();
  private readonly ignored = new Map<string, Promise<boolean>>();

  constructor(readonly root: string) {}

  /** Absolute path of `relative` (a `/`-separated path below the root). */
  absolute(relative: string): string {
    return join(this.root, ...relative.split('/'));
  }

  /** The file's text, or null when it is missing, unreadable or below node_modules. */
  text(relative: string): Promise<string | null> {
    let pending = this.texts.get(relative);
    if (!pending) {
      pending = isInsideNodeModules(relative)
        ? Promise.resolve(null)
        : readFile(this.absolute(relative), 'utf8').then(stripBom, () => null);
      this.texts.set(relative, pending);
    }
    return pending;
  }

  /** The file parsed as a JSON object, or null when it is missing or not a JSON object. */
  async json(relative: string): Promise<JsonObject | null> {
    const text = await this.text(relative);
    if (text === null) return null;
    try {
      return asObject(JSON.parse(text));
    } catch {
      return null;
    }
  }

  /** The file parsed as TOML, or null when it is missing or does not parse. */
  async toml(relative: string): Promise<JsonObject | null> {
    const text = await this.text(relative);
    if (text === null) return null;
    try {
      return parseToml(text) as JsonObject;
    } catch {
      return null;
    }
  }

  async isFile(relative: string): Promise<boolean> {
    if (isInsideNodeModules(relative)) return false;
    return stat(this.absolute(relative)).then((s) => s.isFile(), () => false);
  }

  async isDirectory(relative: string): Promise<boolean> {
    if (isInsideNodeModules(relative)) return false;
    return stat(this.absolute(relative)).then((s) => s.isDirectory(), () => false);
  }

  /** Whether git ignores the path (build output, local files): never committed, so never the place for a line a clone must have. */
  isGitIgnored(relative: string): Promise<boolean> {
    let pending = this.ignored.get(relative);
    if (!pending) {
      // Exit 0: ignored; 1: not ignored; 128: not a git repository.
      pending = execa('git', ['check-ignore', '-q', '--', relative], { cwd: this.root, reject: false }).then((run) => run.exitCode === 0);
      this.ignored.set(relative, pending);
    }
    return pending;
  }

  /** The first of `candidates` that is a file, in order. */
  async firstFile(candidates: readonly string[]): Promise<string | null> {
    const found = await Promise.all(candidates.map((candidate) => this.isFile(candidate)));
    const index = found.indexOf(true);
    return index === -1 ? null : candidates[index]!;
  }

  /** The entries of one directory (not recursive); empty when it is missing. */
  async list(relative = '.'): Promise<Dirent[]> {
    if (isInsideNodeModules(relative)) return [];
    return readdir(this.absolute(relative), { withFileTypes: true }).catch(() => []);
  }
}

export function asObject(value: unknown): JsonObject | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : null;
}

export function asString(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

function isInsideNodeModules(relative: string): boolean {
  return relative.split(/[\\/]/).includes('node_modules');
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
