// The transaction on real files and real child processes: a failed write, a failing command, a
// SIGTERM while a command runs, and a plan whose files changed after planning. Each must leave
// every byte as it was and remove what was new.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeText, encodeText } from '../src/read-text.js';
import { applyPlan } from '../src/plan/apply.js';
import { restoreSnapshot, takeSnapshot } from '../src/plan/snapshot.js';
import type { Command, Plan } from '../src/plan/plan.js';
import type { Project } from '../src/project.js';
import { treeDifferences, treeFingerprint } from './install-helpers.js';
import { until } from './helpers/run-app.js';

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
    // In a private folder of the temp dir, not at a guessable name in the shared /tmp.
    expect(statSync(dirname(result.run?.logPath as string)).mode & 0o777).toBe(0o700);
    expect(statSync(result.run?.logPath as string).mode & 0o777).toBe(0o600);
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
    // Interrupted once the command has done its damage, however long a loaded machine takes to get there.
    const damaged = () => existsSync(pidFile) && existsSync(join(root, 'node_modules')) && readFileSync(join(root, 'package.json'), 'utf8') === 'half written';
    await until(() => damaged() || undefined, 30_000, () => 'the command to start its grandchild and write package.json and node_modules');
    process.kill(process.pid, 'SIGTERM');
    const result = await applying;
    expect(result).toMatchObject({ kind: 'rolled-back', cause: 'interrupted', restoreProblems: [] });
    expect(treeDifferences(original, treeFingerprint(root))).toEqual([]);
    const pids = readFileSync(pidFile, 'utf8').split(' ').map(Number);
    // Signalled processes are gone once the kernel has torn them down: wait for that, bounded.
    await until(() => pids.every((pid) => !isRunning(pid)) || undefined, 10_000, () => `processes ${pids.filter(isRunning).join(', ')} to stop`).catch(() => {});
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

describe('symlinks in the transaction', () => {
  it('an edit of a link inside the project lands on its target; the link stays a link', async () => {
    mkdirSync(join(root, 'config'));
    writeFileSync(join(root, 'config', 'app.env'), 'A=1\n');
    symlinkSync('config/app.env', join(root, '.env'));
    const result = await applyPlan(plan({ edits: [{ path: '.env', before: 'A=1\n', after: 'A=1\nB=2\n' }] }), { verbose: false });
    expect(result.kind).toBe('applied');
    expect(readlinkSync(join(root, '.env'))).toBe('config/app.env');
    expect(readFileSync(join(root, 'config', 'app.env'), 'utf8')).toBe('A=1\nB=2\n');
  });

  it('a link that leads out of the project is never written through, even if planning missed it: the write fails and rolls back', async () => {
    writeFileSync(join(outside, 'secrets.env'), 'SECRET=1\n');
    symlinkSync(join(outside, 'secrets.env'), join(root, '.env'));
    const original = { inside: treeFingerprint(root), outside: treeFingerprint(outside) };
    const result = await applyPlan(
      plan({ edits: [{ path: 'new.js', before: null, after: 'x' }, { path: '.env', before: 'SECRET=1\n', after: 'SECRET=1\nB=2\n' }] }),
      { verbose: false },
    );
    expect(result).toMatchObject({ kind: 'rolled-back', cause: 'write-failed', restoreProblems: [] });
    if (result.kind === 'rolled-back') expect(result.error).toMatch(/\.env leads outside the project/);
    expect(treeDifferences(original.inside, treeFingerprint(root))).toEqual([]);
    expect(treeDifferences(original.outside, treeFingerprint(outside))).toEqual([]);
  });

  it('a command that replaces a symlinked manifest with a file: the rollback puts the link and its target back', async () => {
    mkdirSync(join(root, 'shared'));
    writeFileSync(join(root, 'shared', 'package.json'), '{"name":"shared"}\n');
    rmSync(join(root, 'package.json'));
    symlinkSync('shared/package.json', join(root, 'package.json'));
    const original = treeFingerprint(root);
    const rewrite = "const fs = require('fs'); fs.writeFileSync('shared/package.json', 'half'); fs.rmSync('package.json'); fs.writeFileSync('package.json', 'a file now'); process.exit(1)";
    const result = await applyPlan(plan({ commands: [nodeCommand(rewrite)] }), { verbose: false });
    expect(result).toMatchObject({ kind: 'rolled-back', cause: 'command-failed', restoreProblems: [] });
    expect(lstatSync(join(root, 'package.json')).isSymbolicLink()).toBe(true);
    expect(treeDifferences(original, treeFingerprint(root))).toEqual([]);
  });

  it('a restore that cannot be completed is reported, never claimed', async () => {
    mkdirSync(join(root, 'dir'));
    writeFileSync(join(root, 'dir', 'file'), 'x');
    const snapshot = await takeSnapshot(root, [join(root, 'dir', 'file')], []);
    rmSync(join(root, 'dir'), { recursive: true });
    writeFileSync(join(root, 'dir'), 'a file where the folder was');
    const problems = await restoreSnapshot(snapshot);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(/^dir\/file: /);
  });
});

describe('text that is not UTF-8', () => {
  it('decodes and encodes back to the very same bytes (Latin-1, a UTF-8-encoded surrogate, a truncated sequence, a BOM)', () => {
    const samples = [
      Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]),
      Buffer.concat([Buffer.from('\uFEFF\u00e9\u{1F680} ', 'utf8'), Buffer.of(0xed, 0xb2, 0x80, 0xf0, 0x9f, 0x9a, 0xe2, 0x82)]),
      Buffer.of(0xc0, 0xaf, 0xf5, 0x80, 0xff, 0xfe, 0x41),
    ];
    for (const bytes of samples) expect(encodeText(decodeText(bytes))).toEqual(bytes);
    expect(decodeText(Buffer.from('\uFEFFplain é', 'utf8'))).toBe('\uFEFFplain é');
  });

  it('an edit of a Latin-1 file writes back every byte it did not add', async () => {
    const bytes = Buffer.concat([Buffer.from('// caf'), Buffer.of(0xe9), Buffer.from('\nrun();\n')]);
    writeFileSync(join(root, 'latin1.js'), bytes);
    const before = decodeText(bytes);
    const result = await applyPlan(plan({ edits: [{ path: 'latin1.js', before, after: `require('./init');\n${before}` }] }), { verbose: false });
    expect(result.kind).toBe('applied');
    expect(readFileSync(join(root, 'latin1.js'))).toEqual(Buffer.concat([Buffer.from("require('./init');\n"), bytes]));
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
