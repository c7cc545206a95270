#!/usr/bin/env node
// Kept tiny on purpose: `--help`, `<command> --help` and `--version` print the texts rendered from
// the commander program at build time (scripts/render-help.mjs) without loading the CLI; anything
// else runs the bundled CLI, dist/cli.js, which loads each command's code only when it runs.
// This file is CommonJS (bin/package.json): printing help then skips starting the ES module loader.
const { readFileSync, writeSync } = require('node:fs');
const { join } = require('node:path');

/**
 * Writes `text` to fd 1 directly: creating process.stdout costs more than everything else here.
 * A full non-blocking pipe gets the rest through the stream, which waits for it; a reader that
 * has gone (`ez-pixel --help | head -1`) is not an error.
 */
function print(text) {
  const bytes = Buffer.from(text);
  let written = 0;
  try {
    while (written < bytes.length) written += writeSync(1, bytes, written);
  } catch (error) {
    if (error.code === 'EAGAIN') process.stdout.write(bytes.subarray(written));
    else if (error.code !== 'EPIPE') throw error;
  }
}

const rendered = JSON.parse(readFileSync(join(__dirname, '..', 'dist', 'help.json'), 'utf8'));
const key = process.argv.slice(2).join('\0');

if (Object.hasOwn(rendered, key)) {
  print(rendered[key]);
} else {
  import('../dist/cli.js').then(async ({ run }) => {
    process.exitCode = await run(process.argv);
  });
}
