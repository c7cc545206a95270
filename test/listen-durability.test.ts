/**
 * "Acknowledged means durable", checked at the system calls: `ez-pixel listen` (the built CLI)
 * runs under strace, and for every 201 it sends, the WAL page holding that event must have been
 * written and then fdatasynced (a sync that started after the write and finished before the
 * answer) before the answer was written to the socket. kill -9 tests cannot see a missing sync
 * (the kernel keeps the pages); this can.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { killServers, startCliServer } from './helpers/cli-server.js';
import { makeEvent, postEvent } from './helpers/ingest.js';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ez-pixel-durability-'));
});
afterEach(() => {
  killServers();
  rmSync(dir, { recursive: true, force: true });
});

interface Call {
  line: number;
  tid: string;
  name: string;
  /** The call's text up to its result; a call strace splits (`<unfinished ...>`) ends where it resumes. */
  text: string;
  end: number;
  result: string;
}

/** The calls of an `strace -f -y` log, each with the line it started on and the line it ended on. */
function callsOf(log: string): Call[] {
  const calls: Call[] = [];
  const unfinished = new Map<string, Call>();
  log.split('\n').forEach((raw, line) => {
    const resumed = /^(\d+)\s+<\.\.\. (\w+) resumed>(.*) = (-?\d+.*)$/.exec(raw);
    if (resumed) {
      const call = unfinished.get(resumed[1]!);
      unfinished.delete(resumed[1]!);
      if (call) Object.assign(call, { text: call.text + resumed[3]!, end: line, result: resumed[4]! });
      return;
    }
    const started = /^(\d+)\s+(\w+)\((.*?)(?: <unfinished \.\.\.>|\) += (-?\d+.*))$/.exec(raw);
    if (!started) return;
    const call: Call = { line, tid: started[1]!, name: started[2]!, text: started[3]!, end: line, result: started[4] ?? '' };
    if (started[4] === undefined) unfinished.set(call.tid, call);
    calls.push(call);
  });
  return calls;
}

describe('ez-pixel listen under strace', () => {
  it('answers 201 only after the WAL write holding the event has been fdatasynced', async () => {
    const log = join(dir, 'strace.log');
    const trace = ['strace', '-f', '-qq', '-y', '-s', '65536', '-e', 'trace=pwrite64,write,writev,fdatasync,fsync', '-o', log];
    const listener = await startCliServer('listen', ['--database', join(dir, 'events.db')], {}, trace);
    const acknowledged: string[] = [];
    const send = async () => {
      const event = makeEvent();
      if ((await postEvent(listener.url, event)).status === 201) acknowledged.push(event.event_id as string);
    };
    // One at a time, then floods that share a commit.
    for (let i = 0; i < 10; i++) await send();
    for (let round = 0; round < 3; round++) await Promise.all(Array.from({ length: 20 }, send));
    expect(acknowledged).toHaveLength(70);
    // strace ignores SIGINT while it runs a command: stop listen itself, its one child.
    const traced = Number(readFileSync(`/proc/${listener.child.pid}/task/${listener.child.pid}/children`, 'utf8').trim());
    process.kill(traced, 'SIGINT');
    expect((await listener.exited).code).toBe(0);

    const calls = callsOf(readFileSync(log, 'utf8'));
    const walWrites = calls.filter((call) => call.name === 'pwrite64' && /^\d+<[^>]*events\.db-wal>/.test(call.text));
    const walSyncs = calls.filter((call) => /^f(data)?sync$/.test(call.name) && /events\.db-wal>/.test(call.text) && call.result.startsWith('0'));
    const answers = calls.filter((call) => /^write/.test(call.name) && /<(socket|TCP):/.test(call.text) && call.text.includes('HTTP/1.1 201'));
    expect(walSyncs.length).toBeGreaterThan(0);
    for (const id of acknowledged) {
      const written = walWrites.find((call) => call.text.includes(id));
      const answered = answers.find((call) => call.text.includes(`"id":"${id}"`) || call.text.includes(`\\"id\\":\\"${id}\\"`));
      expect({ id, written: Boolean(written), answered: Boolean(answered) }).toEqual({ id, written: true, answered: true });
      const synced = walSyncs.some((sync) => sync.line > written!.end && sync.end < answered!.line);
      expect({ id, synced }).toEqual({ id, synced: true });
    }
  });
});
