// Source lines for fingerprints and code context. Files are read asynchronously off the
// caller's path and kept in a small LRU bounded by file count and total size, so a crash loop
// neither re-reads files nor grows memory. The synchronous loader exists for the moments when
// the process is about to die and no async I/O will ever complete.
import { readFileSync, statSync } from 'node:fs';
import { fsPromises } from './on-demand-builtins.js';

const MAX_FILE_BYTES = 1 << 20;

export class SourceCache {
  /** Lines of each file, or null when unreadable or too large. Map order is LRU order. */
  private readonly files = new Map<string, string[] | null>();
  private readonly sizes = new Map<string, number>();
  private totalBytes = 0;

  constructor(
    private readonly maxFiles = 64,
    private readonly maxTotalBytes = 8 << 20,
  ) {}

  /** The file's lines if loaded (null: unreadable); undefined when not loaded yet. */
  lines(path: string): string[] | null | undefined {
    const lines = this.files.get(path);
    if (lines !== undefined) {
      this.files.delete(path);
      this.files.set(path, lines);
    }
    return lines;
  }

  async load(paths: Iterable<string>): Promise<void> {
    const missing = [...new Set(paths)].filter((path) => !this.files.has(path));
    const texts = await Promise.all(missing.map((path) => readSmallFile(path)));
    missing.forEach((path, i) => this.store(path, texts[i] ?? null));
  }

  loadSync(paths: Iterable<string>): void {
    for (const path of new Set(paths)) {
      if (!this.files.has(path)) this.store(path, readSmallFileSync(path));
    }
  }

  private store(path: string, text: string | null): void {
    const size = text?.length ?? 0;
    this.files.set(path, text === null ? null : splitLines(text));
    this.sizes.set(path, size);
    this.totalBytes += size;
    for (const oldest of this.files.keys()) {
      if (this.files.size <= this.maxFiles && this.totalBytes <= this.maxTotalBytes) break;
      if (oldest === path) break;
      this.totalBytes -= this.sizes.get(oldest) ?? 0;
      this.files.delete(oldest);
      this.sizes.delete(oldest);
    }
  }
}

async function readSmallFile(path: string): Promise<string | null> {
  try {
    const fs = await fsPromises();
    if ((await fs.stat(path)).size > MAX_FILE_BYTES) return null;
    return await fs.readFile(path, 'utf8');
  } catch {
    return null;
  }
}

function readSmallFileSync(path: string): string | null {
  try {
    if (statSync(path).size > MAX_FILE_BYTES) return null;
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

// The line terminators V8 counts when it numbers the lines of a stack trace.
const LINE_BREAK = /\r\n|[\n\r\u2028\u2029]/;

/** Lines without their terminators, numbered as V8 numbers them; a final one starts no line. */
function splitLines(text: string): string[] {
  const lines = text.split(LINE_BREAK);
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  return lines;
}

