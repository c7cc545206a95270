/**
 * Replays a Dockerfile's first stage without docker (no daemon, and no base image could be pulled
 * here): an empty directory stands for the image, WORKDIR is a folder in it, each COPY copies only
 * what it names from the build context, and the first RUN runs in the WORKDIR through `sh -c`, as
 * the shell form does. That is the step that breaks when the install reads a file not yet copied.
 */
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { execa } from 'execa';

export interface Replay {
  /** The directory that stands for the image's filesystem root. */
  image: string;
  exitCode: number;
  output: string;
}

export async function replayFirstRun(context: string, dockerfile: string, env: Record<string, string> = {}): Promise<Replay> {
  const image = mkdtempSync(join(tmpdir(), 'ez-pixel-image-'));
  let workdir = '/';
  const stage = dockerfile.split(/^FROM .*$/m)[1]!.split('\n').map((line) => line.trim());
  for (const line of stage) {
    const [keyword = '', ...words] = line.split(/\s+/);
    if (keyword === 'WORKDIR') workdir = posix.resolve(workdir, words[0]!);
    if (keyword === 'COPY') {
      const sources = words.filter((word) => !word.startsWith('--'));
      const dest = posix.resolve(workdir, sources.pop()!);
      const intoDir = sources.length > 1 || /\/$|^\.$/.test(words.at(-1)!);
      for (const source of sources) {
        const target = join(image, intoDir ? posix.join(dest, posix.basename(source)) : dest);
        cpSync(join(context, source), target, { recursive: true });
      }
    }
    if (keyword === 'RUN') {
      const cwd = join(image, workdir);
      mkdirSync(cwd, { recursive: true });
      const run = await execa('sh', ['-c', words.join(' ')], { cwd, env, reject: false, all: true, timeout: 240_000 });
      return { image, exitCode: run.exitCode ?? -1, output: String(run.all) };
    }
  }
  throw new Error('the stage has no RUN');
}
