/**
 * The CLI's start, as built by `npm run build`: bin/ez-pixel.js prints the help texts rendered at
 * build time (dist/help.json) without loading the CLI, those texts are exactly what the live
 * commander program prints, and neither the launcher nor the program's start loads anything heavy
 * (ts-morph, a database driver, a command's code) to show help.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a build script (plain ES module, no types)
import { bundleCli, packageOf, startPathInputs, startPathPackages } from '../scripts/bundle-cli.mjs';
// @ts-expect-error: a build script (plain ES module, no types)
import { renderHelp } from '../scripts/render-help.mjs';
import { filesLoadedBy } from './helpers/loaded-modules.js';
import { repoRoot } from './install-helpers.js';

const launcher = join(repoRoot, 'bin', 'ez-pixel.js');
const dist = join(repoRoot, 'dist');
let help: Record<string, string> = {};
let cwd = '';

beforeAll(() => {
  if (!existsSync(join(dist, 'help.json'))) throw new Error('build the CLI first: npm run build');
  help = JSON.parse(readFileSync(join(dist, 'help.json'), 'utf8')) as Record<string, string>;
  cwd = mkdtempSync(join(tmpdir(), 'ez-pixel-cli-start-'));
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const formsOf = (table: Record<string, string>) => Object.keys(table).map((key) => key.split('\0'));

/** node arguments that run the live program (dist/cli.js, commander) on `args`, bypassing the launcher. */
const liveProgram = (args: string[]) => [
  '--input-type=module',
  '-e',
  `const { run } = await import(${JSON.stringify(join(dist, 'cli.js'))});\n` +
    `process.exitCode = await run(['node', 'ez-pixel', ...${JSON.stringify(args)}]);`,
];

/**
 * A bundle file and the files it imports statically, recursively (esbuild writes them as
 * `from "./chunk-X.js"` or `import "./chunk-X.js"`; a command's file is an `import("./…")`, left out).
 */
function staticImportsOf(file: string, seen = new Set<string>()): string[] {
  seen.add(file);
  for (const [, name] of readFileSync(file, 'utf8').matchAll(/(?:\bfrom|^import)\s*"\.\/([^"]+)"/gm)) {
    const imported = join(dist, name!);
    if (!seen.has(imported)) staticImportsOf(imported, seen);
  }
  return [...seen];
}

describe('pre-rendered help', () => {
  it('covers the program, every command listed in its help, and the version', () => {
    const listed = [...help['--help']!.split('Commands:\n')[1]!.matchAll(/^ {2}(\S+)/gm)].map((m) => m[1]!).filter((name) => name !== 'help');
    expect(listed.length).toBeGreaterThanOrEqual(4);
    const keys = Object.keys(help);
    for (const form of [['--help'], ['-h'], ['help'], ['--version'], ['-v'], ...listed.flatMap((c) => [[c, '--help'], [c, '-h'], ['help', c]])]) {
      expect(keys).toContain(form.join('\0'));
    }
  });

  it('is byte for byte what the live program prints, from another directory', async () => {
    for (const args of formsOf(help)) {
      const [fast, live] = await Promise.all([
        execa(process.execPath, [launcher, ...args], { cwd, reject: false }),
        execa(process.execPath, liveProgram(args), { cwd, reject: false }),
      ]);
      expect({ args, code: live.exitCode, stderr: live.stderr }).toEqual({ args, code: 0, stderr: '' });
      expect({ args, code: fast.exitCode, stderr: fast.stderr, stdout: fast.stdout }).toEqual({ args, code: 0, stderr: '', stdout: live.stdout });
    }
  });

  it('is what the live program prints in a 132-column terminal too (the help wraps at 80 everywhere)', async () => {
    // `script` gives the program a real terminal, whose width commander would otherwise wrap to.
    const live = join(cwd, 'live-install-help.mjs');
    writeFileSync(live, liveProgram(['install', '--help'])[2]!);
    const shown = await execa('script', ['-qec', `stty cols 132; ${JSON.stringify(process.execPath)} ${JSON.stringify(live)}`, '/dev/null'], { cwd, reject: false });
    expect(shown.exitCode).toBe(0);
    expect(shown.stdout.replace(/\r\n/g, '\n').trim()).toBe(help['install\0--help']!.trim());
  });

  it('leaves anything else to the program: an unknown flag is a usage error (exit 2)', async () => {
    const result = await execa(process.execPath, [launcher, 'install', '--nope'], { cwd, reject: false });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("unknown option '--nope'");
  });
  it('exits 0, quietly, when the reader has gone before the help is written (ez-pixel --help | head -0)', async () => {
    const child = spawn(process.execPath, [launcher, '--help'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.once('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });
});

describe('what showing help loads', () => {
  it('the launcher reads dist/help.json and loads no other module', async () => {
    for (const args of [['--help'], ['install', '--help'], ['-v']]) {
      const run = await filesLoadedBy([launcher, ...args], cwd);
      expect(run.exitCode).toBe(0);
      expect(run.files).toEqual([launcher]);
    }
  });

  it('the live program loads only its start path for help and usage errors: no command, no package from node_modules', async () => {
    const startPath = staticImportsOf(join(dist, 'cli.js')).sort();
    for (const args of [...formsOf(help), ['install', '--nope'], ['nope']]) {
      const run = await filesLoadedBy(liveProgram(args), cwd);
      expect(run.stderr.includes('ez-pixel: unexpected error')).toBe(false);
      expect({ args, fromNodeModules: run.files.filter((file) => file.includes('/node_modules/')) }).toEqual({ args, fromNodeModules: [] });
      expect({ args, files: run.files.sort() }).toEqual({ args, files: startPath });
    }
    // The entry plus esbuild's few shared chunks (version, exit codes, its runtime helpers).
    expect(startPath.length).toBeLessThanOrEqual(5);
  });

  it('the bundled start path (dist/cli.js and what it imports statically) holds no package but commander', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ez-pixel-bundle-'));
    try {
      const { metafile } = await bundleCli({ outdir: out, write: false });
      const inputs: string[] = startPathInputs(metafile);
      expect(inputs).toContain('src/cli.ts');
      const packages = [...new Set(inputs.map(packageOf).filter((name): name is string => name !== null))];
      expect(packages.filter((name) => !startPathPackages.includes(name))).toEqual([]);
      // The commands are their own files, imported when they run.
      expect(inputs.filter((input) => input.startsWith('src/commands/'))).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('rendering the help at build time', () => {
  /** A built CLI in a temp dir whose `serve --db` defaults to `defaultExpression` (JavaScript). */
  function fakeCli(defaultExpression: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'ez-pixel-fake-cli-'));
    writeFileSync(join(dir, 'cli.js'), [
      `import { createRequire } from 'node:module';`,
      `const { Command } = createRequire(${JSON.stringify(join(repoRoot, 'package.json'))})('commander');`,
      `export function buildProgram() {`,
      `  const program = new Command('ez-pixel').version('1.0.0', '-v, --version').exitOverride();`,
      `  program.command('serve').option('--db <url>', 'database', ${defaultExpression}).action(() => {});`,
      `  return program;`,
      `}`,
      `export async function run(argv) {`,
      `  try { await buildProgram().parseAsync(argv); return 0; }`,
      `  catch (error) { return ['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(error.code) ? 0 : 2; }`,
      `}`,
    ].join('\n'));
    return dir;
  }

  it('writes help.json for a program whose help is the same everywhere', async () => {
    const dir = fakeCli("'ez.db'");
    try {
      const table = (await renderHelp(dir)) as Record<string, string>;
      expect(Object.keys(table)).toContain('serve\0--help');
      expect(JSON.parse(readFileSync(join(dir, 'help.json'), 'utf8'))).toEqual(table);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['the current directory', 'process.cwd()'],
    ["an environment variable (the builder's database URL would ship in the package)", "process.env.EZ_PIXEL_TEST_DATABASE ?? 'ez.db'"],
  ])('fails the build when a default shows %s', async (_what, expression) => {
    const dir = fakeCli(expression);
    process.env.EZ_PIXEL_TEST_DATABASE = 'postgres://builder:secret@db/ez';
    try {
      await expect(renderHelp(dir)).rejects.toThrow(/ez-pixel serve --help prints a different text in another directory or environment/);
      expect(existsSync(join(dir, 'help.json'))).toBe(false);
      expect(process.env.EZ_PIXEL_TEST_DATABASE).toBe('postgres://builder:secret@db/ez');
    } finally {
      delete process.env.EZ_PIXEL_TEST_DATABASE;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
