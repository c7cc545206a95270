#!/usr/bin/env node
// Kept tiny on purpose: `--help`, `<command> --help` and `--version` print the texts rendered from
// the commander program at build time (scripts/render-help.mjs) without loading the CLI; anything
// else runs the bundled CLI, dist/cli.js, which loads each command's code only when it runs.
import { readFileSync } from 'node:fs';

const rendered = JSON.parse(readFileSync(new URL('../dist/help.json', import.meta.url), 'utf8'));
const key = process.argv.slice(2).join('\0');

if (Object.hasOwn(rendered, key)) {
  process.stdout.write(rendered[key]);
} else {
  const { run } = await import('../dist/cli.js');
  process.exitCode = await run(process.argv);
}
