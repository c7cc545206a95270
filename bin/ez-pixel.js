#!/usr/bin/env node
// Kept tiny on purpose: `--help`, `<command> --help` and `--version` print the texts rendered from
// the commander program at build time (scripts/render-help.mjs) without loading the CLI; anything
// else runs the bundled CLI, dist/cli.js, which loads each command's code only when it runs.
// This file is CommonJS (bin/package.json): printing help then skips starting the ES module loader.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const rendered = JSON.parse(readFileSync(join(__dirname, '..', 'dist', 'help.json'), 'utf8'));
const key = process.argv.slice(2).join('\0');

if (Object.hasOwn(rendered, key)) {
  process.stdout.write(rendered[key]);
} else {
  import('../dist/cli.js').then(async ({ run }) => {
    process.exitCode = await run(process.argv);
  });
}
