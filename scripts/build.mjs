// `npm run build`: compiles the CLI to dist/ and builds the two SDK artifacts the CLI bundles
// into artifacts/: the Python wheel and the @ez-pixel/node tarball. Needs no network.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const artifacts = `${root}artifacts`;
const python = process.env.EZ_PIXEL_PYTHON ?? 'python3';

function step(title, argv, cwd = root) {
  process.stderr.write(`build: ${title}\n`);
  const result = spawnSync(argv[0], argv.slice(1), { cwd, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`build: "${argv.join(' ')}" failed (exit ${result.status ?? result.signal})\n`);
    process.exit(1);
  }
}

rmSync(`${root}dist`, { recursive: true, force: true });
rmSync(artifacts, { recursive: true, force: true });
mkdirSync(artifacts, { recursive: true });

step('CLI (tsc)', [process.execPath, `${root}node_modules/typescript/bin/tsc`, '-p', 'tsconfig.json']);
step('@ez-pixel/node (tsc)', ['npm', 'run', '--silent', 'build'], `${root}runtimes/node`);
step('@ez-pixel/node (npm pack)', ['npm', 'pack', '--silent', '--pack-destination', artifacts], `${root}runtimes/node`);
step('ez-pixel wheel', [python, `${root}runtimes/python/build_wheel.py`, artifacts]);

process.stderr.write(`build: artifacts: ${readdirSync(artifacts).join(', ')}\n`);
