// Bundles the CLI (src/cli.ts) with esbuild into dist/: cli.js, the start path (the commander
// program and nothing else), plus one file per lazily imported command and the code they share.
// Node 20 has no module compile cache, so what `ez-pixel --help` costs is mostly the number and
// size of the files the ESM loader resolves and compiles: one file instead of dozens.
//
// Packages in package.json's "dependencies" stay external, loaded from node_modules when used
// (ts-morph, which carries the TypeScript compiler, and v8-compile-cache); everything else the
// CLI imports is bundled, so it lives in "devDependencies".
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { eventValidatorModule, eventValidatorSource } from './event-validator.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = `${root}src/`;
const manifest = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
const tsconfigRaw = readFileSync(`${root}tsconfig.json`, 'utf8');

/** Packages loaded from node_modules at run time instead of being bundled. */
export const externalPackages = Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies });

/** Bundled packages the start path may hold; any other package there is a `--help` regression. */
export const startPathPackages = ['commander'];

/**
 * Modules find the package's files (package.json, artifacts/, spec/) relative to where tsc would
 * have put them (src/plan/x.ts → dist/plan/x.js). Every bundled file sits directly in dist/, so
 * each module's `import.meta.url` becomes that tsc location, resolved from its bundle file. The
 * swap is esbuild's `define`, which replaces the expression and never the text of a string (a
 * template may well hold `import.meta.url` for the user's code).
 */
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (!args.path.startsWith(src)) return undefined;
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta')) return undefined;
      const compiled = `./${relative(src, args.path).replace(/\.ts$/, '.js')}`;
      const { code } = await esbuild.transform(source, {
        loader: 'ts', format: 'esm', sourcefile: args.path, sourcemap: 'inline', tsconfigRaw,
        define: { 'import.meta.url': '__moduleUrl' },
      });
      // On the first line, so the source map of the rest stays true.
      return { contents: `const __moduleUrl = new URL(${JSON.stringify(compiled)}, import.meta.url).href; ${code}`, loader: 'js' };
    });
  },
};

/** `ez-pixel:event-validator`: the code Ajv generates from the event schema, bundled like a source file. */
const generatedEventValidator = {
  name: 'generated-event-validator',
  setup(build) {
    build.onResolve({ filter: new RegExp(`^${eventValidatorModule}$`) }, () => ({ path: eventValidatorModule, namespace: 'generated' }));
    build.onLoad({ filter: /.*/, namespace: 'generated' }, () => ({ contents: eventValidatorSource(), loader: 'js', resolveDir: root }));
  },
};

/**
 * Builds the CLI into `outdir` (or in memory with `write: false`) and returns esbuild's result,
 * metafile included.
 */
export function bundleCli({ outdir, write = true }) {
  return esbuild.build({
    absWorkingDir: root,
    entryPoints: [`${src}cli.ts`],
    outdir,
    write,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: '[name]-[hash]',
    external: externalPackages,
    // CommonJS packages in the bundle (commander, ajv) call require() for Node's built-ins.
    banner: { js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
    plugins: [keepModuleUrls, generatedEventValidator],
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
  });
}

/**
 * The bundled inputs `node dist/cli.js` loads before any command runs: the entry file and the
 * chunks it imports statically (dynamic imports are the lazy commands).
 */
export function startPathInputs(metafile) {
  const entry = Object.keys(metafile.outputs).find((path) => metafile.outputs[path].entryPoint === 'src/cli.ts');
  const inputs = new Set();
  const visit = (path) => {
    const output = metafile.outputs[path];
    for (const input of Object.keys(output.inputs)) inputs.add(input);
    for (const imported of output.imports) if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
  };
  visit(entry);
  return [...inputs];
}

/** The npm package an input path belongs to ('commander', '@clack/prompts'), or null for our own code. */
export function packageOf(input) {
  const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  return match ? match[1] : null;
}
