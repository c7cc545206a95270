/**
 * "The project still builds and runs": wired projects in temp dirs are compiled with the root's real
 * `tsc` against the real @ez-pixel/node and run with node. The SDK is built by its own build script in
 * a private temp copy, so a parallel `npm run build` that empties runtimes/node/dist cannot race us.
 * An error thrown by application code must reach a real ingest server on 127.0.0.1; the same project
 * without the wiring must send nothing, so the check would catch a missing or late init.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wireEntry } from '../src/inject/index.js';
import { initWiringFor, type InitSettings } from '../src/templates/index.js';
import type { Project } from '../src/project.js';
import { nodeProject, tempProject } from './fixtures/inject/projects.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const tsc = join(repo, 'node_modules/typescript/bin/tsc');
const sdkSource = join(repo, 'runtimes/node');
let sdk = '';

interface Received {
  key: string | undefined;
  body: string;
}

let ingest: Server;
let received: Received[] = [];
let ingestUrl = '';

beforeAll(async () => {
  sdk = await compileSdk();
  ingest = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ key: request.headers['x-pixel-key'] as string | undefined, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(202, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => ingest.listen(0, '127.0.0.1', resolve));
  ingestUrl = `http://127.0.0.1:${(ingest.address() as AddressInfo).port}/ingest`;
});

afterAll(() => new Promise<void>((resolve) => (ingest ? ingest.close(() => resolve()) : resolve())));

/** Builds @ez-pixel/node with its own build script, in a temp copy of the package (sharing its node_modules). */
async function compileSdk(): Promise<string> {
  const out = tempProject();
  for (const entry of readdirSync(sdkSource)) {
    if (entry === 'node_modules' || entry === 'dist' || entry === 'test') continue;
    cpSync(join(sdkSource, entry), join(out, entry), { recursive: true });
  }
  symlinkSync(join(sdkSource, 'node_modules'), join(out, 'node_modules'), 'dir');
  const result = await execa('npm', ['run', '--silent', 'build'], { cwd: out, reject: false });
  if (result.exitCode !== 0) throw new Error(`cannot build runtimes/node:\n${result.stdout}${result.stderr}`);
  rmSync(join(out, 'node_modules'));
  return out;
}

/** A temp project with node_modules linking the real SDK (and @types/node, express when asked). */
function projectDir(files: Record<string, string>, modules: string[] = []): string {
  const root = tempProject(files);
  mkdirSync(join(root, 'node_modules/@ez-pixel'), { recursive: true });
  mkdirSync(join(root, 'node_modules/@types'), { recursive: true });
  symlinkSync(sdk, join(root, 'node_modules/@ez-pixel/node'), 'dir');
  symlinkSync(join(repo, 'node_modules/@types/node'), join(root, 'node_modules/@types/node'), 'dir');
  for (const name of modules) symlinkSync(join(sdkSource, 'node_modules', name), join(root, 'node_modules', name), 'dir');
  return root;
}

/** Wires the entry exactly as install would: inserted lines plus the init file(s). */
async function wireOnDisk(project: Project, settings: InitSettings): Promise<void> {
  const entry = initWiringFor(project, settings).entry;
  const wiring = initWiringFor(project, settings);
  const read = async (file: string): Promise<string | null> => (existsSync(join(project.root, file)) ? readFileSync(join(project.root, file), 'utf8') : null);
  const wired = await wireEntry(project, entry, await read(entry), wiring, read);
  if (wired.kind !== 'wired') throw new Error(`expected an insert: ${JSON.stringify(wired)}`);
  for (const [file, text] of wired.texts) writeFileSync(join(project.root, file), text);
  for (const file of wiring.files) {
    mkdirSync(dirname(join(project.root, file.path)), { recursive: true });
    writeFileSync(join(project.root, file.path), file.content);
  }
}

async function compile(root: string): Promise<void> {
  const result = await execa('node', [tsc, '-p', 'tsconfig.json'], { cwd: root, reject: false });
  expect(`${result.stdout}${result.stderr}`).toBe('');
  expect(result.exitCode).toBe(0);
}

function runEnv(root: string): Record<string, string> {
  return { EZ_PIXEL_CACHE_DIR: join(root, '.cache'), EZ_PIXEL_PROJECT_KEY: '', EZ_PIXEL_INGEST_URL: '', NODE_OPTIONS: '' };
}

const key = 'pk_test_injectbuild';

describe('wired projects build with tsc and report from the first line of app code', () => {
  const nodeNextFiles = {
    'package.json': '{ "name": "app", "private": true, "type": "module" }\n',
    'tsconfig.json': JSON.stringify({
      compilerOptions: {
        module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true,
        outDir: 'dist', rootDir: 'src', skipLibCheck: true, types: ['node'],
      },
      include: ['src'],
    }),
    // Application code that fails while it is being imported: only an init that runs first sees it.
    'src/app.ts': "export const name = 'app';\nthrow new Error('boom while loading the app');\n",
    'src/main.ts': "\uFEFF// The service entry\r\nimport { name } from './app.js';\r\n\r\nconsole.log(name);\r\n",
  };

  it('TS NodeNext (BOM, CRLF): tsc passes and the import-time crash reaches the ingest', async () => {
    const root = projectDir(nodeNextFiles);
    const project = nodeProject({ root, entry: 'src/main.ts', typescript: true });

    await compile(root);
    received = [];
    const unwired = await execa('node', ['dist/main.js'], { cwd: root, env: runEnv(root), reject: false });
    expect(unwired.exitCode).not.toBe(0);
    expect(received).toEqual([]);

    await wireOnDisk(project, { projectKey: key, ingestUrl });
    expect(readFileSync(join(root, 'src/main.ts'), 'utf8')).toBe(
      "\uFEFF// The service entry\r\nimport './ez-pixel.init.js'; // ez-pixel\r\nimport { name } from './app.js';\r\n\r\nconsole.log(name);\r\n",
    );
    await compile(root);
    const wired = await execa('node', ['dist/main.js'], { cwd: root, env: runEnv(root), reject: false });
    expect(wired.exitCode).not.toBe(0);
    expect(wired.stderr).toContain('boom while loading the app');
    expect(received.map((event) => event.key)).toEqual([key]);
    expect(received[0]?.body).toContain('boom while loading the app');
  });

  it('TS compiled to CommonJS (module commonjs, extensionless specifier): the crash reaches the ingest through the CJS SDK', async () => {
    const root = projectDir({
      'package.json': '{ "name": "svc", "private": true }\n',
      'tsconfig.json': JSON.stringify({
        compilerOptions: { module: 'commonjs', target: 'ES2022', strict: true, outDir: 'dist', rootDir: 'src', skipLibCheck: true, types: ['node'], esModuleInterop: true },
        include: ['src'],
      }),
      'src/app.ts': "export const name = 'svc';\nthrow new Error('boom in commonjs');\n",
      'src/main.ts': "'use strict';\n\nimport { name } from './app';\nconsole.log(name);\n",
    });
    await wireOnDisk(nodeProject({ root, entry: 'src/main.ts', typescript: true, moduleSystem: 'cjs' }), { projectKey: key, ingestUrl });
    expect(readFileSync(join(root, 'src/main.ts'), 'utf8')).toContain("'use strict';\n\nimport './ez-pixel.init'; // ez-pixel\nimport { name }");
    await compile(root);
    received = [];
    const wired = await execa('node', ['dist/main.js'], { cwd: root, env: runEnv(root), reject: false });
    expect(wired.stderr).toContain('boom in commonjs');
    expect(received.map((event) => event.key)).toEqual([key]);
    expect(received[0]?.body).toContain('boom in commonjs');
  });

  it('Next.js: the created and the merged (sync register) instrumentation.ts typecheck against the SDK (bundler resolution)', async () => {
    const files = {
      'package.json': '{ "name": "web", "private": true }\n',
      'tsconfig.json': JSON.stringify({
        compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] },
        include: ['**/*.ts'],
        exclude: ['node_modules'],
      }),
    };
    const created = projectDir(files);
    await wireOnDisk(nodeProject({ root: created, framework: 'next', typescript: true, entry: null }), { projectKey: key, ingestUrl });
    expect(existsSync(join(created, 'instrumentation.ts'))).toBe(true);
    await compile(created);

    const merged = projectDir({
      ...files,
      'otel.ts': 'export function startTracing(): void {}\n',
      // A synchronous register(), as in @vercel/otel's example: the merge makes it async.
      'instrumentation.ts': "import { startTracing } from './otel';\n\nexport function register() {\n  startTracing();\n}\n",
    });
    await wireOnDisk(nodeProject({ root: merged, framework: 'next', typescript: true, entry: 'instrumentation.ts' }), { projectKey: key, ingestUrl });
    const mergedText = readFileSync(join(merged, 'instrumentation.ts'), 'utf8');
    expect(mergedText).toContain('export async /* ez-pixel */ function register() {');
    expect(mergedText).toContain('export async function onRequestError(');
    await compile(merged);
  });

  it('Express (ESM JS): a route that throws reaches the ingest through the injected error handler', async () => {
    const root = projectDir(
      {
        'package.json': '{ "name": "api", "private": true, "type": "module" }\n',
        'server.js': [
          "import express from 'express';",
          '',
          'const app = express();',
          "app.get('/boom', () => {",
          "  throw new Error('route failed');",
          '});',
          '',
          'const server = app.listen(0, \'127.0.0.1\', () => console.log(`port ${server.address().port}`));',
          '',
        ].join('\n'),
      },
      ['express'],
    );
    await wireOnDisk(nodeProject({ root, framework: 'express', entry: 'server.js' }), { projectKey: key, ingestUrl });
    received = [];
    const server = execa('node', ['server.js'], { cwd: root, env: runEnv(root), reject: false });
    try {
      const port = await new Promise<string>((resolve, reject) => {
        server.stdout?.on('data', (chunk: Buffer) => {
          const match = /port (\d+)/.exec(chunk.toString());
          if (match?.[1]) resolve(match[1]);
        });
        server.on('exit', () => reject(new Error('the express app exited before listening')));
      });
      const response = await fetch(`http://127.0.0.1:${port}/boom`);
      expect(response.status).toBe(500);
      await waitFor(() => received.length > 0, 10_000);
      expect(received[0]?.key).toBe(key);
      expect(received[0]?.body).toContain('route failed');
    } finally {
      server.kill('SIGTERM');
      await server;
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the event');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
