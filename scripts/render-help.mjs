// Renders the CLI's help and version texts at build time, from the built commander program, into
// dist/help.json, which bin/ez-pixel.js prints without loading the CLI (what `ez-pixel --help`
// costs is then about a bare `node` start). Each text is what the program itself prints for that
// argv; test/cli-start.test.ts checks that the launcher and the live program still agree.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The argv a help table entry answers: arguments joined by NUL, which no shell argument holds. */
export const helpKey = (args) => args.join('\0');

/** Every argv that only prints help or the version: the program's, and each command's at any depth. */
function helpForms(program) {
  const forms = [['--help'], ['-h'], ['help'], ['--version'], ['-v']];
  const visit = (parent, path) => {
    for (const command of parent.commands) {
      if (command._hidden) continue;
      const at = [...path, command.name()];
      forms.push([...at, '--help'], [...at, '-h'], [...path, 'help', command.name()]);
      if (command.commands.length > 0) forms.push([...at, 'help']);
      visit(command, at);
    }
  };
  visit(program, []);
  return forms;
}

/** What `run` prints for `args`, with its exit code; stdout and stderr are captured, not shown. */
async function capture(run, args) {
  const output = { stdout: '', stderr: '' };
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  process.stdout.write = (chunk) => ((output.stdout += chunk), true);
  process.stderr.write = (chunk) => ((output.stderr += chunk), true);
  try {
    const code = await run(['node', 'ez-pixel', ...args]);
    return { ...output, code };
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
  }
}

/** Runs `fn` with `dir` as the current directory and `env` as the whole environment, then restores both. */
async function elsewhere({ dir, env }, fn) {
  const saved = { cwd: process.cwd(), env: { ...process.env } };
  process.chdir(dir);
  for (const name of Object.keys(process.env)) delete process.env[name];
  Object.assign(process.env, env);
  try {
    return await fn();
  } finally {
    process.chdir(saved.cwd);
    for (const name of Object.keys(process.env)) delete process.env[name];
    Object.assign(process.env, saved.env);
  }
}

/**
 * Writes `<distDir>/help.json` from `<distDir>/cli.js`. Each form is rendered twice, from two
 * directories, once with the build's environment and once with none, and the build fails if the
 * text differs (a default showing the current directory or an environment variable, which would
 * ship the builder's value) or if a form does more than print to stdout and exit 0.
 */
export async function renderHelp(distDir) {
  const { buildProgram, run } = await import(pathToFileURL(join(distDir, 'cli.js')).href);
  const dirs = [mkdtempSync(join(tmpdir(), 'ez-pixel-help-a-')), mkdtempSync(join(tmpdir(), 'ez-pixel-help-b-'))];
  const places = [{ dir: dirs[0], env: { ...process.env } }, { dir: dirs[1], env: {} }];
  const table = {};
  try {
    for (const args of helpForms(buildProgram())) {
      const seen = [];
      for (const place of places) seen.push(await elsewhere(place, () => capture(run, args)));
      const [first, second] = seen;
      const shown = `ez-pixel ${args.join(' ')}`;
      if (first.code !== 0 || first.stderr !== '' || first.stdout === '') {
        throw new Error(`${shown} should print to stdout and exit 0; it exited ${first.code} with stderr ${JSON.stringify(first.stderr)}`);
      }
      if (first.stdout !== second.stdout) {
        throw new Error(`${shown} prints a different text in another directory or environment, so it cannot be pre-rendered:\n${first.stdout}\n---\n${second.stdout}`);
      }
      table[helpKey(args)] = first.stdout;
    }
  } finally {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
  writeFileSync(join(distDir, 'help.json'), `${JSON.stringify(table, null, 1)}\n`);
  return table;
}
