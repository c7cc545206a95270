// The transaction on real files and real child processes: a failed write, a failing command, a
// SIGTERM while a command runs, and a plan whose files changed after planning. Each must leave
// every byte as it was and remove what was new.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../src/plan/apply.js';
import type { Command, Plan } from '../src/plan/plan.js';
import type { Project } from '../src/project.js';
import { treeDifferences, treeFingerprint } from './install-helpers.js';

let root: string;
let outside: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'ez-pixel-apply-'));
  outside = mkdtempSync(join(tmpdir(), 'ez-pixel-apply-outside-'));
  writeFileSync(join(root, 'package.json'), '{\n  "name": "x"\n}\n');
  writeFileSync(join(root, 'entry.js'), '\uFEFFconsole.log(1);\r\n', { mode: 0o755 });
  writeFileSync(join(root, 'blocker'), 'a file where a directory would have to be\n');
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

const project = (): Project => ({
  root, runtime: 'node', framework: 'plain', packageManager: 'npm', workspaceRoot: null, moduleSystem: 'cjs',
  typescript: false, manifest: 'package.json', interpreter: null, entry: 'entry.js', evidence: [],
});

function nodeCommand(script: string): Command {
  return {
    argv: [process.execPath, '-e', script], cwd: root, display: 'node -e …', env: {},
    touches: [join(root, 'package.json'), join(root, 'package-lock.json')], creates: [join(root, 'node_modules')],
  };
}

function plan(parts: Partial<Plan>): Plan {
  return { action: 'install', project: project(), copies: [], commands: [], edits: [], removals: [], notes: [], ...parts };
}

describe('applyPlan', () => {
  it('applies copies, commands, edits and removals in order', async () => {
    mkdirSync(join(root, 'old'));
    writeFileSync(join(root, 'old', 'f'), 'x');
    writeFileSync(join(outside, 'artifact.tgz'), Buffer.from([0, 1, 2, 255]));
    const result = await applyPlan(
      plan({
        copies: [{ path: '.ez-pixel/artifact.tgz', from: join(outside, 'artifact.tgz') }],
        commands: [nodeCommand("require('fs').writeFileSync('package-lock.json', '{}')")],
        edits: [
          { path: 'entry.js', before: '\uFEFFconsole.log(1);\r\n', after: '\uFEFFrequire("./init");\r\nconsole.log(1);\r\n' },
          { path: 'src/init.js', before: null, after: 'init\n' },
        ],
        removals: ['old'],
      }),
      { verbose: false },
    );
    expect(result.kind).toBe('applied');
    expect(readFileSync(join(root, '.ez-pixel', 'artifact.tgz'))).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(readFileSync(join(root, 'package-lock.json'), 'utf8')).toBe('{}');
    expect(readFileSync(join(root, 'src', 'init.js'), 'utf8')).toBe('init\n');
    expect(existsSync(join(root, 'old'))).toBe(false);
    expect(treeFingerprint(root).get('entry.js')?.startsWith('755:')).toBe(true); // the mode is kept
  });

  it('a write that fails rolls back the command and the edits before it, and removes new directories', async () => {
    const original = treeFingerprint(root);
    const result = await applyPlan(
      plan({
        commands: [nodeCommand("const fs = require('fs'); fs.mkdirSync('node_modules'); fs.writeFileSync('package.json', 'rewritten')")],
        edits: [
          { path: 'deep/new/init.js', before: null, after: 'init\n' },
          { path: 'entry.js', before: '\uFEFFconsole.log(1);\r\n', after: 'changed\n' },
          { path: 'blocker/cannot.js', before: null, after: 'x' },
        ],
      }),
      { verbose: false },
    );
    expect(result).toMatchObject({ kind: 'rolled-back', cause: 'write-failed', restoreProblems: [] });
    expect(treeDifferences(original, treeFingerprint(root))).toEqual([]);
  });

  it('a failing command: its exit code and last output lines are kept, a log is written outside the project', async () => {
    const original = treeFingerprint(root);
    const result = await applyPlan(
      plan({
        copies: [],
        commands: [nodeCommand("require('fs').writeFileSync('package.json', 'half'); console.error('npm ERR! code E404'); process.exit(3)")],
        edits: [{ path: 'new.js', before: null, after: 'x' }],
      }),
      { verbose: false },
    );
    expect(result.kind).toBe('rolled-back');
    if (result.kind !== 'rolled-back') return;
    expect(result.cause).toBe('command-failed');
    expect(result.run?.exitCode).toBe(3);
    expect(result.run?.tail).toContain('npm ERR! code E404');
    expect(result.run?.logPath.startsWith(root)).toBe(false);
    expect(readFileSync(result.run?.logPath as string, 'utf8')).toContain('npm ERR! code E404');
    expect(treeDifferences(original, treeFingerprint(root))).toEqual([]);
  });

  it('a command that cannot start is a failure with the reason', async () => {
    const result = await applyPlan(plan({ commands: [{ ...nodeCommand(''), argv: ['ez-pixel-no-such-package-manager', 'add'] }] }), { verbose: false });
    expect(result).toMatchObject({ kind: 'rolled-back', cause: 'command-failed' });
    if (result.kind === 'rolled-back') expect(result.run?.startError).toMatch(/ENOENT|not found/i);
  });

  it('SIGTERM while the command runs: its whole process group is stopped and every byte restored', async () => {
    const original = treeFingerprint(root);
    const pidFile = join(outside, 'pids');
    // The "package manager" starts a grandchild, rewrites package.json, then hangs.
    const script = [
      "const fs = require('fs'); const { spawn } = require('child_process');",
      "const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });",
      `fs.writeFileSync(${JSON.stringify(pidFile)}, process.pid + ' ' + child.pid);`,
      "fs.writeFileSync('package.json', 'half written'); fs.mkdirSync('node_modules');",
      'setInterval(() => {}, 1000);',
    ].join('\n');
    const applying = applyPlan(plan({ commands: [nodeCommand(script)] }), { verbose: false });
    for (let i = 0; i < 200 && !existsSync(pidFile); i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
    await new Promise((resolve) => setTimeout(resolve, 100));
    process.kill(process.pid, 'SIGTERM');
    const result = await applying;
    expect(result).toMatchObject({ kind: 'rolled-back', cause: 'interrupted', restoreProblems: [] });
    expect(treeDifferences(original, treeFingerprint(root))).toEqual([]);
    const pids = readFileSync(pidFile, 'utf8').split(' ').map(Number);
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const pid of pids) expect(isRunning(pid), `process ${pid} still runs`).toBe(false);
  });

  it('a file changed after planning: conflict, nothing written', async () => {
    const original = treeFingerprint(root);
    const result = await applyPlan(
      plan({ edits: [{ path: 'new.js', before: null, after: 'x' }, { path: 'entry.js', before: 'what it was when planned', after: 'y' }] }),
      { verbose: false },
    );
    expect(result).toEqual({ kind: 'conflict', path: 'entry.js' });
    expect(treeDifferences(original, treeFingerprint(root))).toEqual([]);
  });
});

/** Running means alive and not a zombie (a container's PID 1 may not reap orphans). */
function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
