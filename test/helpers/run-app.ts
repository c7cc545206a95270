/**
 * Running a fixture app the way its own scripts do (`npm start`) for end-to-end tests: in its own
 * process group, so stopping it stops the node process npm started too, with its output kept.
 */
import { createServer } from 'node:net';
import { execa, type ResultPromise } from 'execa';
import { quietEnv } from '../install-helpers.js';

export async function until<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, what: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A port free on 127.0.0.1 right now, for an app the test starts with that port. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface RunningApp {
  app: ResultPromise;
  output: () => string;
  stop: () => Promise<void>;
}

export function npmStart(dir: string, env: Record<string, string> = {}): RunningApp {
  return startApp(dir, ['npm', 'start'], env);
}

/** Any command of the app's own (`npm run preview -- --port 4173`), run as npmStart runs `npm start`. */
export function startApp(dir: string, argv: string[], env: Record<string, string> = {}): RunningApp {
  const app = execa(argv[0]!, argv.slice(1), { cwd: dir, env: { ...quietEnv, PORT: '0', ...env }, reject: false, all: true, detached: true, timeout: 180_000 });
  let output = '';
  app.all?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return {
    app,
    output: () => output,
    stop: async () => {
      if (app.pid) {
        try {
          process.kill(-app.pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
      await app;
    },
  };
}
